from django.urls import path

from securebase.core.routes import CARE_TEAM
from securebase.practise.toolkit import clinician_views as views

urlpatterns = [
    path(f"{CARE_TEAM}toolkit/", views.client_toolkit, name="client_toolkit"),
]
