"""URLs of safety: the safety plan, the care team's alerts, learning from misses, crisis lines."""

from django.urls import include, path

urlpatterns = [
    path("", include("securebase.safety.plan.urls")),
    path("", include("securebase.safety.alerts.urls")),
    path("", include("securebase.safety.learning.urls")),
    path("", include("securebase.safety.crisis_lines.urls")),
]
