from django.urls import path

from securebase.core.routes import CARE_TEAM
from securebase.practise.scripts import views

urlpatterns = [
    path("home/toolkit/scripts/", views.scripts_home, name="scripts_home"),
    path("home/toolkit/scripts/<slug:slug>/", views.script_read, name="script_read"),
    path("home/toolkit/together/", views.together, name="together"),
    path("home/toolkit/together/<slug:slug>/start/", views.together_start, name="together_start"),
    path(
        "home/toolkit/together/sessions/<str:session_id>/",
        views.together_session,
        name="together_session",
    ),
    path(f"{CARE_TEAM}together/", views.client_together, name="client_together"),
]
