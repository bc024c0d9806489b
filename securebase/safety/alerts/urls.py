"""URLs of the care team's alerts (also acknowledged from a client's measures page), the caseload's
live alerts, and the risk rules page."""

from django.urls import path

from securebase.core.routes import CARE_TEAM
from securebase.safety.alerts import views

urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<str:alert_id>/", views.alert_detail, name="alert_detail"),
    path(
        "alerts/<str:alert_id>/acknowledge/",
        views.alert_acknowledge_note,
        name="alert_acknowledge_note",
    ),
    path(
        f"{CARE_TEAM}alerts/<str:alert_id>/seen/",
        views.client_alert_acknowledge,
        name="alert_acknowledge",
    ),
    path("alerts/<str:alert_id>/false-alarm/", views.alert_false_alarm, name="alert_false_alarm"),
    path("caseload/alerts/", views.caseload_alerts, name="caseload_alerts"),
    path("risk-rules/", views.risk_rules, name="risk_rules"),
]
