from django.urls import path

from securebase.core.routes import CARE_TEAM
from securebase.plan.progress import views

urlpatterns = [
    path("home/progress/", views.my_progress, name="my_progress"),
    path(f"{CARE_TEAM}progress/", views.client_progress, name="client_progress"),
]
