from django.urls import path

from securebase.core.routes import CARE_TEAM
from securebase.practise.homework import views

urlpatterns = [
    path("home/homework/", views.my_homework, name="my_homework"),
    path("home/homework/<str:homework_id>/done/", views.homework_done, name="homework_done"),
    path(f"{CARE_TEAM}homework/", views.client_homework, name="client_homework"),
    path(
        f"{CARE_TEAM}homework/<uuid:homework_id>/stop/", views.homework_stop, name="homework_stop"
    ),
]
