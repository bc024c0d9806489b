"""Relationship map pages: the client's own (under /home/) and the care team's (under /clients/)."""

from django.urls import path

from securebase.core.routes import CARE_TEAM
from securebase.understand.people import views

urlpatterns = [
    path("home/people/", views.my_people, name="people_mine"),
    path("home/people/add/", views.person_add, name="people_add"),
    path("home/people/<str:person_id>/edit/", views.person_edit, name="people_edit"),
    path("home/people/<str:person_id>/rate/", views.person_rate, name="people_rate"),
    path("home/people/<str:person_id>/archive/", views.person_archive, name="people_archive"),
    path("home/people/<str:person_id>/restore/", views.person_restore, name="people_restore"),
    path(f"{CARE_TEAM}people/", views.client_people, name="people_client"),
]
