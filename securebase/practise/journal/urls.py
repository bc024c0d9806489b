from django.urls import path

from securebase.core.routes import CARE_TEAM
from securebase.practise.journal import views

urlpatterns = [
    path("home/journal/", views.my_journal, name="my_journal"),
    path("home/journal/new/", views.journal_new, name="journal_new"),
    path("home/journal/<str:entry_id>/share/", views.journal_share, name="journal_share"),
    path(f"{CARE_TEAM}journal/", views.client_journal, name="client_journal"),
]
