from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "securebase.care"
    label = "care"
    verbose_name = "Care"

    def ready(self):
        from securebase.audit.log import resolve_practices_with  # noqa: PLC0415 - app registry
        from securebase.care.policy import practice_id_of  # noqa: PLC0415 - loads models

        resolve_practices_with(practice_id_of)
