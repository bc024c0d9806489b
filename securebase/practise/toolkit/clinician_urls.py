from django.urls import path

from securebase.practise.toolkit import clinician_views as views

urlpatterns = [
    path("clients/<str:client_id>/toolkit/", views.client_toolkit, name="client_toolkit"),
]
