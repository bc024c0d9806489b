"""URLs of maintenance: tapering, the maintenance plan and discharge (client's under /home/)."""

from django.urls import path

from securebase.core.routes import CARE_TEAM
from securebase.maintain import views

urlpatterns = [
    path("home/tapering/", views.my_tapering, name="my_tapering"),
    path("home/maintenance-plan/", views.my_maintenance_plan, name="my_maintenance_plan"),
    path(
        "home/maintenance-plan/edit/",
        views.my_maintenance_plan_edit,
        name="my_maintenance_plan_edit",
    ),
    path("home/discharge-summary/", views.my_discharge_summary, name="my_discharge_summary"),
    path(f"{CARE_TEAM}tapering/", views.client_tapering, name="client_tapering"),
    path(f"{CARE_TEAM}tapering/start/", views.client_tapering_start, name="client_tapering_start"),
    path(f"{CARE_TEAM}tapering/edit/", views.client_tapering_edit, name="client_tapering_edit"),
    path(f"{CARE_TEAM}tapering/next/", views.client_tapering_next, name="client_tapering_next"),
    path(
        f"{CARE_TEAM}maintenance-plan/",
        views.client_maintenance_plan,
        name="client_maintenance_plan",
    ),
    path(
        f"{CARE_TEAM}maintenance-plan/edit/",
        views.client_maintenance_plan_edit,
        name="client_maintenance_plan_edit",
    ),
    path(f"{CARE_TEAM}discharge/", views.client_discharge, name="client_discharge"),
]
