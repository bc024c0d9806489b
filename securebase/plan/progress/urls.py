from django.urls import path

from securebase.plan.progress import views

urlpatterns = [
    path("home/progress/", views.my_progress, name="my_progress"),
    path("clients/<str:client_id>/progress/", views.client_progress, name="client_progress"),
]
