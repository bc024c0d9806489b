from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "securebase.audit"
    label = "audit"
    verbose_name = "Audit log"

    def ready(self):
        from securebase.audit.checkpoints import record_restore  # models are loaded only now
        from securebase.core.signals import database_restored

        database_restored.connect(
            lambda **_: record_restore(), weak=False, dispatch_uid="audit-restore"
        )
