"""Ending therapy well: the tapering plan, the maintenance plan and the discharge record.

DESIGN.md section 2, step 4. The tapering plan is the clinician's (the client reads it); the
maintenance plan is written together (both edit, with optimistic locking and every saved state
kept); the discharge record freezes the summary as it stood on the day.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from securebase.care.models import Client
from securebase.core.crypto import EncryptedTextField
from securebase.core.modeling import Versioned, VersionSnapshot, acting_user


class TaperingPlan(Versioned):
    """One client's plan for spacing sessions out; its phases are edited from a version."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="tapering_plan")
    created_by = acting_user()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"tapering plan of {self.client_id}"


class TaperingPhase(models.Model):
    """A stretch of therapy at one session frequency, planned from a date; started and ended by
    the clinician."""

    data_subject = "plan__client"  # whose data key encrypts its words (core.crypto)

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("Weekly sessions")
        FORTNIGHTLY = "fortnightly", _("Sessions every two weeks")
        MONTHLY = "monthly", _("Monthly sessions")
        BOOSTER = "booster", _("Booster session")
        CUSTOM = "custom", _("Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(TaperingPlan, on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("frequency"), max_length=12, choices=Kind.choices)
    label = EncryptedTextField(_("name it"), blank=True)  # for kind CUSTOM: typed words
    planned_start = models.DateField(_("planned start"))
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Why the care team started this phase while safety said "not now" (a risk flag open or
    # recent, or a reliable deterioration); empty when it was started without a hold.
    override_note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="tapering_phase_position")
        ]

    def __str__(self) -> str:
        return f"{self.kind} from {self.planned_start}"

    @property
    def name(self) -> str:
        if self.kind == self.Kind.CUSTOM and self.label:
            return self.label
        return str(self.get_kind_display())

    @property
    def is_current(self) -> bool:
        return self.started_at is not None and self.ended_at is None


class MaintenancePlan(Versioned):
    """The client's plan for keeping what they gained, in their words; written together."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="maintenance_plan")
    warning_signs = EncryptedTextField(_("My warning signs"), blank=True)
    what_helps = EncryptedTextField(_("What helps"), blank=True)
    next_steps = EncryptedTextField(_("My ladder's next steps"), blank=True)
    who_to_turn_to = EncryptedTextField(_("Who I can turn to"), blank=True)
    get_back_in_touch = EncryptedTextField(_("When to get back in touch"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"maintenance plan of {self.client_id}"


class MaintenancePlanVersion(VersionSnapshot):
    """Every saved state of a maintenance plan (nothing is lost; changes can be compared)."""

    data_subject = "plan__client"  # whose data key encrypts its words (core.crypto)

    # ``snapshot``: JSON of the sections at that version.
    plan = models.ForeignKey(MaintenancePlan, on_delete=models.CASCADE, related_name="versions")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta(VersionSnapshot.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "version"], name="maintenance_plan_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"maintenance plan {self.plan_id} v{self.version}"


class Discharge(models.Model):
    """The end of therapy: when, by whom, the closing note and the summary frozen on the day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="discharges")
    discharged_on = models.DateField()
    discharged_by = acting_user()
    note = EncryptedTextField(_("closing note"), blank=True)
    share_note = models.BooleanField(_("share the closing note with the client"), default=False)
    summary = EncryptedTextField()  # JSON: maintain.discharge.build_summary, as it was that day
    # Why the client was discharged while safety said "not now"; empty without a hold.
    override_note = EncryptedTextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-discharged_on", "-created_at"]

    def __str__(self) -> str:
        return f"discharge of {self.client_id} on {self.discharged_on}"
