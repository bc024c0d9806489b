"""URLs of maintenance: tapering, the maintenance plan and discharge (client's under /home/)."""

from django.urls import path

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
    path("clients/<str:client_id>/tapering/", views.client_tapering, name="client_tapering"),
    path(
        "clients/<str:client_id>/tapering/start/",
        views.client_tapering_start,
        name="client_tapering_start",
    ),
    path(
        "clients/<str:client_id>/tapering/edit/",
        views.client_tapering_edit,
        name="client_tapering_edit",
    ),
    path(
        "clients/<str:client_id>/tapering/next/",
        views.client_tapering_next,
        name="client_tapering_next",
    ),
    path(
        "clients/<str:client_id>/maintenance-plan/",
        views.client_maintenance_plan,
        name="client_maintenance_plan",
    ),
    path(
        "clients/<str:client_id>/maintenance-plan/edit/",
        views.client_maintenance_plan_edit,
        name="client_maintenance_plan_edit",
    ),
    path("clients/<str:client_id>/discharge/", views.client_discharge, name="client_discharge"),
]
