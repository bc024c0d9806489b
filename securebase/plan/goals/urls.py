"""URLs of collaborative goals: clinicians' under the client, the client's under home.

The same pages serve both; the client's URL names start with ``my_`` (the lists are ``my_goals``
and ``client_goals``).
"""

from django.urls import path

from securebase.core.routes import CARE_TEAM, for_both_roles
from securebase.plan.goals import views

GOAL = "goals/<str:goal_id>/"

urlpatterns = [
    path("home/goals/", views.goals_list, name="my_goals"),
    path(f"{CARE_TEAM}goals/", views.goals_list, name="client_goals"),
    *for_both_roles(
        ("goals/new/", views.goal_new, "goal_new"),
        (GOAL, views.goal_detail, "goal_detail"),
        (f"{GOAL}edit/", views.goal_edit, "goal_edit"),
        (f"{GOAL}rate/", views.goal_rate, "goal_rate"),
        (f"{GOAL}active/", views.goal_active, "goal_active"),
        (f"{GOAL}versions/", views.goal_versions, "goal_versions"),
        (f"{GOAL}versions/<int:number>/", views.goal_version, "goal_version"),
    ),
]
