from django.urls import path

from securebase.care.choice import views

urlpatterns = [
    path("home/programme/pause/", views.programme_pause, name="programme_pause"),
    path("home/programme/resume/", views.programme_resume, name="programme_resume"),
    path("home/sharing/", views.my_sharing, name="my_sharing"),
    path("home/sharing/past/", views.my_sharing_past, name="my_sharing_past"),
    path("home/sharing/default/", views.my_sharing_default, name="my_sharing_default"),
    path("home/export/", views.my_export, name="my_export"),
    path("home/export/download/", views.my_export_download, name="my_export_download"),
]
