from django.apps import AppConfig


class UnderstandConfig(AppConfig):
    name = "securebase.understand"
    label = "understand"
    verbose_name = "Understand: history map, moments, relationship map"
