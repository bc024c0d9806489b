from django.apps import AppConfig


class MaintainConfig(AppConfig):
    name = "securebase.maintain"
    label = "maintain"
    verbose_name = "Maintain"
