from django.apps import AppConfig


class PractiseConfig(AppConfig):
    name = "securebase.practise"
    label = "practise"
    verbose_name = "Practise: pause skill, toolkit, ladder, experiments, journal, homework"
