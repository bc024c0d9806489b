"""URLs of the safety plan: the client's under home, the care team's under the client, and the
service worker at the site root (its scope must cover the client's page)."""

from django.urls import include, path

from securebase.safety.crisis_lines import views as crisis_lines_views
from securebase.safety.plan import views

urlpatterns = [
    path("home/safety-plan/", views.my_safety_plan, name="my_safety_plan"),
    path("home/safety-plan/edit/", views.my_safety_plan_edit, name="my_safety_plan_edit"),
    path(
        "clients/<str:client_id>/safety-plan/",
        views.client_safety_plan,
        name="client_safety_plan",
    ),
    path(
        "clients/<str:client_id>/safety-plan/edit/",
        views.client_safety_plan_edit,
        name="client_safety_plan_edit",
    ),
    path("sw.js", views.service_worker, name="service_worker"),
    path("", include("securebase.safety.alerts.urls")),
    path("", include("securebase.safety.learning.urls")),
    path(
        "practice/crisis-lines/", crisis_lines_views.crisis_lines_admin, name="crisis_lines_admin"
    ),
    path(
        "practice/crisis-lines/<str:override_id>/remove/",
        crisis_lines_views.crisis_line_remove,
        name="crisis_line_remove",
    ),
]
