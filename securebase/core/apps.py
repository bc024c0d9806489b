from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "securebase.core"
    label = "core"
    verbose_name = "Secure Base core"
