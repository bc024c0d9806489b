"""The safety plan: written together by a client and their care team, one per client.

The plan follows the steps of the Safety Planning Intervention (Stanley & Brown, 2012,
Cognitive and Behavioral Practice 19(2):256–264, doi:10.1016/j.cbpra.2011.01.001), plus reasons
for living, in our own words and layout (the authors' template is copyrighted: INSTRUMENTS.md 3.5).
All of its content is free text, kept as one encrypted JSON document so that every saved state can
be snapshotted whole.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from securebase.care.models import Client, Practice
from securebase.core.crypto import EncryptedTextField
from securebase.core.modeling import Versioned, VersionSnapshot, acting_user
from securebase.measures import definitions


class Alert(models.Model):
    """Something the care team must see now: a risk answer, later risk words or deterioration."""

    class Kind(models.TextChoices):
        RISK_ITEM = "risk_item", _("Risk answer in a measure")
        RISK_CHECKIN = "risk_checkin", _("Safety question in a check-in")
        RISK_WORDS = "risk_words", _("Risk words in something the client wrote")
        BOOSTER = "booster", _("A booster session may be needed")

    RISK_KINDS = (Kind.RISK_ITEM, Kind.RISK_CHECKIN, Kind.RISK_WORDS)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    administration = models.ForeignKey(
        "measures.Administration",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts",
    )
    # Where it came from: "administration", "checkin", "moment", "journal", … and the entry's id.
    # The alert never holds the client's words; for an entry the client did not share, the care
    # team learns only the kind of entry and when.
    source_type = models.CharField(max_length=20, blank=True)
    source_id = models.UUIDField(null=True, blank=True)
    source_shared = models.BooleanField(default=True)
    detail = models.JSONField(default=dict)  # instrument and item numbers; never wording
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = acting_user(blank=True)
    acknowledgement = EncryptedTextField(blank=True)  # the clinician's note: what was done

    class Meta:
        db_table = (
            "measures_alert"  # where it was made; it moved here from measures (no data change)
        )
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client", "acknowledged_at"], name="alert_client_open")]
        constraints = [
            # One OPEN alert per entry and kind: saving the same entry again raises nothing new
            # while the care team has not yet acknowledged it; once acknowledged, new risk in the
            # same entry opens a new alert.
            models.UniqueConstraint(
                fields=["kind", "source_type", "source_id"],
                condition=models.Q(source_id__isnull=False, acknowledged_at__isnull=True),
                name="alert_once_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.client_id}"

    @property
    def instrument_name(self) -> str:
        key = self.detail.get("instrument", "")
        try:
            return definitions.get(key).short_name
        except KeyError:
            return key


class SafetyPlan(Versioned):
    """One client's safety plan; edited with a version number (optimistic locking)."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="safety_plan")
    content = EncryptedTextField(blank=True)  # JSON: see securebase.safety.plan.domain.SECTIONS
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"safety plan of {self.client_id}"


class SafetyPlanVersion(VersionSnapshot):
    """Every saved state of a safety plan, so that nothing is lost and changes can be compared."""

    data_subject = "plan__client"  # whose data key encrypts its words (core.crypto)

    # ``snapshot``: the plan's content JSON at that version.
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="versions")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta(VersionSnapshot.Meta):
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="safety_plan_version_unique")
        ]

    def __str__(self) -> str:
        return f"safety plan {self.plan_id} v{self.version}"


class RiskReport(models.Model):
    """A clinician's report on the risk detector: an alert that was a false alarm, or risk in an
    entry that raised none. Read by the practice's admins (``safety/learning/domain.py``), who may teach
    the detector from it; it never holds the client's words, only the clinician's own paraphrase
    (``wording``), and the admins never see which client it was about."""

    class Kind(models.TextChoices):
        FALSE_ALARM = "false_alarm", _("False alarm")
        MISSED = "missed", _("Missed risk")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        LEARNED = "learned", _("The detector learned from it")
        CLOSED = "closed", _("Closed without a change")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The false alarm's alert (one report each); a missed risk names the kind of entry instead.
    alert = models.OneToOneField(
        Alert, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    source_type = models.CharField(max_length=20, blank=True)
    written_on = models.DateField(null=True, blank=True)
    category = models.CharField(max_length=20, blank=True)  # a missed risk's category
    language = models.CharField(max_length=2)
    wording = EncryptedTextField(blank=True)  # the clinician's paraphrase, for the detector
    note = EncryptedTextField(blank=True)  # why, in the clinician's words
    reported_by = acting_user()
    reported_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_by = acting_user(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-reported_at"]
        indexes = [models.Index(fields=["practice", "status"], name="risk_report_practice")]

    def __str__(self) -> str:
        return f"{self.kind} report {self.pk}"


class PracticeAddition(models.Model):
    """What a practice added to what the app ships, in force until removed (removing keeps the row)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = acting_user(blank=True)

    class Meta:
        abstract = True


class RiskAddition(PracticeAddition):
    """A phrase or an exemplar a practice added to its risk detector, in force until removed.
    Each addition or removal was evaluated first and refused if recall would drop."""

    data_subject = "report__client"  # whose data key encrypts its words (core.crypto)

    class Kind(models.TextChoices):
        PHRASE = "phrase", _("Risk phrase (phrase list)")
        EXAMPLE = "example", _("Risk example (by meaning)")
        EVERYDAY = "everyday", _("Everyday phrase, not risk (phrase list)")
        NOT_RISK = "not_risk", _("Example that is not risk (by meaning)")

    RISK_KINDS = (Kind.PHRASE, Kind.EXAMPLE)

    kind = models.CharField(max_length=10, choices=Kind.choices)
    language = models.CharField(max_length=2)
    category = models.CharField(max_length=20, blank=True)  # the risk kinds only
    text = EncryptedTextField()
    report = models.ForeignKey(
        RiskReport, null=True, blank=True, on_delete=models.SET_NULL, related_name="additions"
    )
    added_by = acting_user()
    added_at = models.DateTimeField(auto_now_add=True)
    # Recall and precision per language with this change made (safety/learning/domain.py).
    evaluation = models.JSONField(default=dict)

    class Meta:
        ordering = ["added_at"]
        indexes = [models.Index(fields=["practice", "removed_at"], name="risk_addition_practice")]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class CrisisOverride(PracticeAddition):
    """A practice's own crisis-line entry, added to a country's or replacing a shipped one
    (``replaces``: the shipped entry's name). ``entry`` has the crisis file's shape
    (``safety/crisis_lines/resources.py Entry``), checked when saved; removing keeps the row."""

    country = models.CharField(max_length=4)  # ISO 3166-1 alpha-2, or INTL
    replaces = models.CharField(max_length=120, blank=True)
    entry = models.JSONField()
    created_by = acting_user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["country", "created_at"]
        indexes = [models.Index(fields=["practice", "removed_at"], name="crisis_override_practice")]

    def __str__(self) -> str:
        return f"{self.country} override {self.pk}"
