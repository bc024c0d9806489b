from django.apps import AppConfig


class LearnConfig(AppConfig):
    name = "securebase.learn"
    label = "learn"
    verbose_name = "Learn: the psychoeducation library"
