from django.urls import path

from securebase.core.routes import CARE_TEAM
from securebase.practise.pause import views

urlpatterns = [
    path("home/pause/", views.pause_new, name="pause_new"),
    path("home/pause/all/", views.my_pauses, name="my_pauses"),
    path("home/pause/<str:pause_id>/", views.pause_detail, name="pause_detail"),
    path("home/pause/<str:pause_id>/share/", views.pause_share, name="pause_share"),
    path(f"{CARE_TEAM}pauses/", views.client_pauses, name="client_pauses"),
]
