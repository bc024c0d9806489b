from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "securebase.api"
    label = "api"
    verbose_name = "JSON API"
