"""URLs of the admins' crisis lines page."""

from django.urls import path

from securebase.safety.crisis_lines import views

urlpatterns = [
    path("practice/crisis-lines/", views.crisis_lines_admin, name="crisis_lines_admin"),
    path(
        "practice/crisis-lines/<str:override_id>/remove/",
        views.crisis_line_remove,
        name="crisis_line_remove",
    ),
]
