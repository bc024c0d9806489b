"""URLs of the attachment history map: clinicians' under the client, the client's under home."""

from securebase.core.routes import for_both_roles
from securebase.understand.history import views

EVENT = "history/events/<str:event_id>/"
SCRIPT = "history/scripts/<str:script_id>/"

urlpatterns = for_both_roles(
    ("history/", views.history_map, "history_map"),
    ("history/edit/", views.history_edit, "history_edit"),
    ("history/events/add/", views.event_add, "history_event_add"),
    (f"{EVENT}edit/", views.event_edit, "history_event_edit"),
    (f"{EVENT}delete/", views.event_delete, "history_event_delete"),
    ("history/scripts/add/", views.script_add, "history_script_add"),
    (f"{SCRIPT}edit/", views.script_edit, "history_script_edit"),
    (f"{SCRIPT}delete/", views.script_delete, "history_script_delete"),
    ("history/versions/", views.history_versions, "history_versions"),
    ("history/versions/<int:number>/", views.history_version, "history_version"),
)
