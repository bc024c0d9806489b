from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "securebase.audit"
    label = "audit"
    verbose_name = "Audit log"
