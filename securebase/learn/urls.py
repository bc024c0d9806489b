from django.urls import path

from securebase.core.routes import CARE_TEAM
from securebase.learn import views

urlpatterns = [
    path("learn/", views.library_index, name="learn_library"),
    path("learn/<str:slug>/", views.page, name="learn_page"),
    path(f"{CARE_TEAM}learn/", views.client_reading, name="client_learn"),
    path(f"{CARE_TEAM}learn/<str:slug>/", views.client_page_preview, name="client_learn_page"),
]
