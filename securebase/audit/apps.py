from django.apps import AppConfig

from securebase.core.signals import database_restored


class AuditConfig(AppConfig):
    name = "securebase.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self):
        from securebase.audit.checkpoints import record_restore  # noqa: PLC0415 - loads models

        database_restored.connect(
            lambda **_: record_restore(), weak=False, dispatch_uid="audit-restore"
        )
