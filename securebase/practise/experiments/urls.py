from django.urls import path

from securebase.core.routes import CARE_TEAM
from securebase.practise.experiments import views

urlpatterns = [
    path("home/experiments/", views.my_experiments, name="my_experiments"),
    path("home/experiments/new/", views.experiment_new, name="experiment_new"),
    path(
        "home/experiments/<str:experiment_id>/", views.experiment_detail, name="experiment_detail"
    ),
    path(
        "home/experiments/<str:experiment_id>/share/",
        views.experiment_share,
        name="experiment_share",
    ),
    path(f"{CARE_TEAM}experiments/", views.client_experiments, name="client_experiments"),
    path(
        f"{CARE_TEAM}experiments/<str:experiment_id>/reviewed/",
        views.experiment_reviewed,
        name="experiment_reviewed",
    ),
]
