from django.urls import path

from securebase.plan.brief import views

urlpatterns = [
    path("clients/<str:client_id>/brief/", views.session_brief, name="session_brief"),
    path("clients/<str:client_id>/brief/sessions/", views.session_record, name="session_record"),
    path(
        "clients/<str:client_id>/brief/topics/<str:topic_id>/discussed/",
        views.topic_discussed,
        name="topic_discussed",
    ),
    path("clients/<str:client_id>/report/", views.client_report, name="client_report"),
    path("home/talk-about/", views.my_topics, name="my_topics"),
    path("home/talk-about/<str:topic_id>/delete/", views.my_topic_delete, name="my_topic_delete"),
]
