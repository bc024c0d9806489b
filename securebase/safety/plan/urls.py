"""URLs of the safety plan: the client's under home, the care team's under the client, and the
service worker at the site root (its scope must cover the client's page)."""

from django.urls import path

from securebase.core.routes import CARE_TEAM
from securebase.safety.plan import views

urlpatterns = [
    path("home/safety-plan/", views.my_safety_plan, name="my_safety_plan"),
    path("home/safety-plan/edit/", views.my_safety_plan_edit, name="my_safety_plan_edit"),
    path(f"{CARE_TEAM}safety-plan/", views.client_safety_plan, name="client_safety_plan"),
    path(
        f"{CARE_TEAM}safety-plan/edit/",
        views.client_safety_plan_edit,
        name="client_safety_plan_edit",
    ),
    path("sw.js", views.service_worker, name="service_worker"),
]
