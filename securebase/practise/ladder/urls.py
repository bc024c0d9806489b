from django.urls import path

from securebase.core.routes import CARE_TEAM
from securebase.practise.ladder import views

urlpatterns = [
    path("home/ladders/", views.my_ladders, name="my_ladders"),
    path("home/ladders/new/", views.ladder_new, name="ladder_new"),
    path("home/ladders/<str:ladder_id>/", views.ladder_detail, name="ladder_detail"),
    path("home/ladders/<str:ladder_id>/edit/", views.ladder_edit, name="ladder_edit"),
    path("home/ladder-steps/<str:step_id>/attempt/", views.attempt_new, name="attempt_new"),
    path("home/attempts/<str:attempt_id>/share/", views.attempt_share, name="attempt_share"),
    path(f"{CARE_TEAM}ladders/", views.client_ladders, name="client_ladders"),
    path(f"{CARE_TEAM}ladders/new/", views.client_ladder_new, name="client_ladder_new"),
    path(
        f"{CARE_TEAM}ladders/<str:ladder_id>/",
        views.client_ladder_detail,
        name="client_ladder_detail",
    ),
    path(
        f"{CARE_TEAM}ladders/<str:ladder_id>/edit/",
        views.client_ladder_edit,
        name="client_ladder_edit",
    ),
]
