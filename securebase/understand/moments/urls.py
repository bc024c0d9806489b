from django.urls import path

from securebase.core.routes import CARE_TEAM
from securebase.understand.moments import views

urlpatterns = [
    path("home/moments/", views.my_moments, name="my_moments"),
    path("home/moments/new/", views.moment_new, name="moment_new"),
    path("home/moments/<str:moment_id>/", views.moment_detail, name="moment_detail"),
    path("home/moments/<str:moment_id>/share/", views.moment_share, name="moment_share"),
    path(f"{CARE_TEAM}moments/", views.client_moments, name="client_moments"),
    path(
        f"{CARE_TEAM}moments/<str:moment_id>/discuss/", views.moment_discuss, name="moment_discuss"
    ),
]
