from django.urls import path

from securebase.plan import progress_views as views

urlpatterns = [
    path("home/progress/", views.my_progress, name="my_progress"),
    path("clients/<str:client_id>/progress/", views.client_progress, name="client_progress"),
]
