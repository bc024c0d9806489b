from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "securebase.plan"
    label = "plan"
    verbose_name = "Plan and track"
