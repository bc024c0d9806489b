"""URLs of safety: the safety plan, the care team's alerts, learning from misses, crisis lines."""

from securebase.core.routes import at_root

urlpatterns = at_root(
    "securebase.safety.plan.urls",
    "securebase.safety.alerts.urls",
    "securebase.safety.learning.urls",
    "securebase.safety.crisis_lines.urls",
)
