from django.apps import AppConfig

from securebase.core.signals import database_restored


class CareConfig(AppConfig):
    name = "securebase.care"
    label = "care"
    verbose_name = "Care"

    def ready(self):
        from securebase.audit.log import resolve_practices_with  # noqa: PLC0415 - app registry
        from securebase.care.erasure.domain import reapply_erasures  # noqa: PLC0415 - models
        from securebase.care.policy import practice_id_of  # noqa: PLC0415 - loads models

        resolve_practices_with(practice_id_of)
        # A restored backup from before an erasure still holds the erased client's key.
        database_restored.connect(
            lambda **_: reapply_erasures(), weak=False, dispatch_uid="care-erasures-again"
        )
