from django.urls import path

from securebase.care.erasure import views

urlpatterns = [
    path("practice/erasure/", views.erasure_page, name="erasure"),
    path("practice/erasure/<str:record_id>/<str:step>/", views.erasure_step, name="erasure_step"),
]
