from django.urls import path

from securebase.core.routes import CARE_TEAM
from securebase.practise.reflections import views

urlpatterns = [
    path("home/reflections/", views.my_reflections, name="my_reflections"),
    path(
        f"{CARE_TEAM}reflections/<str:entry_type>/<str:entry_id>/",
        views.reflection_new,
        name="reflection_new",
    ),
]
