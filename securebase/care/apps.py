from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "securebase.care"
    label = "care"
    verbose_name = "Care"
