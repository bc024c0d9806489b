from django.urls import path

from securebase.core.routes import CARE_TEAM
from securebase.plan.checkins import views

urlpatterns = [
    path("home/check-in/", views.checkin, name="checkin"),
    path("home/check-in/done/", views.checkin_done, name="checkin_done"),
    path("home/check-in/schedule/", views.checkin_schedule, name="checkin_schedule"),
    path("home/check-ins/", views.my_checkins, name="my_checkins"),
    path(f"{CARE_TEAM}check-ins/", views.client_checkins, name="client_checkins"),
    path(
        f"{CARE_TEAM}check-ins/schedule/",
        views.client_checkin_schedule,
        name="client_checkin_schedule",
    ),
]
