"""URLs of the attachment history map: clinicians' under the client, the client's under home."""

from django.urls import path

from securebase.understand.history import views


def _pages(prefix: str, name: str) -> list:
    """The same pages for both roles; clients' names start with ``my_``."""
    return [
        path(f"{prefix}history/", views.history_map, name=f"{name}history_map"),
        path(f"{prefix}history/edit/", views.history_edit, name=f"{name}history_edit"),
        path(f"{prefix}history/events/add/", views.event_add, name=f"{name}history_event_add"),
        path(
            f"{prefix}history/events/<str:event_id>/edit/",
            views.event_edit,
            name=f"{name}history_event_edit",
        ),
        path(
            f"{prefix}history/events/<str:event_id>/delete/",
            views.event_delete,
            name=f"{name}history_event_delete",
        ),
        path(f"{prefix}history/scripts/add/", views.script_add, name=f"{name}history_script_add"),
        path(
            f"{prefix}history/scripts/<str:script_id>/edit/",
            views.script_edit,
            name=f"{name}history_script_edit",
        ),
        path(
            f"{prefix}history/scripts/<str:script_id>/delete/",
            views.script_delete,
            name=f"{name}history_script_delete",
        ),
        path(f"{prefix}history/versions/", views.history_versions, name=f"{name}history_versions"),
        path(
            f"{prefix}history/versions/<int:number>/",
            views.history_version,
            name=f"{name}history_version",
        ),
    ]


urlpatterns = [
    *_pages("clients/<str:client_id>/", ""),
    *_pages("home/", "my_"),
]
