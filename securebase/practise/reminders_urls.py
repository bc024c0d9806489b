from django.urls import path

from securebase.practise import reminders_views as views

urlpatterns = [
    path("home/reminders/", views.reminder_settings, name="reminder_settings"),
]
