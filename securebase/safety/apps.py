from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "securebase.safety"
    label = "safety"
    verbose_name = "Safety"
