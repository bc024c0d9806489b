from django.urls import path

from securebase.practise.homework import views

urlpatterns = [
    path("home/homework/", views.my_homework, name="my_homework"),
    path("home/homework/<str:homework_id>/done/", views.homework_done, name="homework_done"),
    path("clients/<str:client_id>/homework/", views.client_homework, name="client_homework"),
    path(
        "clients/<str:client_id>/homework/<uuid:homework_id>/stop/",
        views.homework_stop,
        name="homework_stop",
    ),
]
