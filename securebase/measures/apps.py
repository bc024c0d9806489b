from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "securebase.measures"
    label = "measures"
    verbose_name = "Measures"
