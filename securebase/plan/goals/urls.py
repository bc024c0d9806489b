"""URLs of collaborative goals: clinicians' under the client, the client's under home.

The same pages serve both; the client's URL names start with ``my_`` (the lists are ``my_goals``
and ``client_goals``).
"""

from django.urls import path

from securebase.plan.goals import views


def _pages(prefix: str, name: str) -> list:
    goal = f"{prefix}goals/<str:goal_id>/"
    return [
        path(f"{prefix}goals/new/", views.goal_new, name=f"{name}goal_new"),
        path(goal, views.goal_detail, name=f"{name}goal_detail"),
        path(f"{goal}edit/", views.goal_edit, name=f"{name}goal_edit"),
        path(f"{goal}rate/", views.goal_rate, name=f"{name}goal_rate"),
        path(f"{goal}active/", views.goal_active, name=f"{name}goal_active"),
        path(f"{goal}versions/", views.goal_versions, name=f"{name}goal_versions"),
        path(f"{goal}versions/<int:number>/", views.goal_version, name=f"{name}goal_version"),
    ]


urlpatterns = [
    path("home/goals/", views.goals_list, name="my_goals"),
    *_pages("home/", "my_"),
    path("clients/<str:client_id>/goals/", views.goals_list, name="client_goals"),
    *_pages("clients/<str:client_id>/", ""),
]
