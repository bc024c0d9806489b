from django.urls import path

from securebase.core.routes import CARE_TEAM
from securebase.plan.brief import views

urlpatterns = [
    path(f"{CARE_TEAM}brief/", views.session_brief, name="session_brief"),
    path(f"{CARE_TEAM}brief/sessions/", views.session_record, name="session_record"),
    path(
        f"{CARE_TEAM}brief/topics/<str:topic_id>/discussed/",
        views.topic_discussed,
        name="topic_discussed",
    ),
    path(f"{CARE_TEAM}report/", views.client_report, name="client_report"),
    path("home/talk-about/", views.my_topics, name="my_topics"),
    path("home/talk-about/<str:topic_id>/delete/", views.my_topic_delete, name="my_topic_delete"),
]
