"""The safety plan: written together by a client and their care team, one per client.

The plan follows the steps of the Safety Planning Intervention (Stanley & Brown, 2012,
Cognitive and Behavioral Practice 19(2):256–264, doi:10.1016/j.cbpra.2011.01.001), plus reasons
for living, in our own words and layout (the authors' template is copyrighted: INSTRUMENTS.md 3.5).
All of its content is free text, kept as one encrypted JSON document so that every saved state can
be snapshotted whole.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from securebase.care.models import Client
from securebase.core.crypto import EncryptedTextField


class SafetyPlan(models.Model):
    """One client's safety plan; edited with a version number (optimistic locking)."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="safety_plan")
    content = EncryptedTextField(blank=True)  # JSON: see securebase.safety.plan.SECTIONS
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"safety plan of {self.client_id}"


class SafetyPlanVersion(models.Model):
    """Every saved state of a safety plan, so that nothing is lost and changes can be compared."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    saved_at = models.DateTimeField(auto_now_add=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = EncryptedTextField()  # the plan's content JSON at that version

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="safety_plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"safety plan {self.plan_id} v{self.version}"
