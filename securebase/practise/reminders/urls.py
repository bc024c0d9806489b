from django.urls import path

from securebase.practise.reminders import views

urlpatterns = [
    path("home/reminders/", views.reminder_settings, name="reminder_settings"),
]
