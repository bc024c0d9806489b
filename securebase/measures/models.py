"""Measures given to clients: wording a clinic imported, assignments, administrations, scores."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from securebase.care.models import Client
from securebase.core.crypto import EncryptedTextField
from securebase.core.modeling import acting_user
from securebase.measures import definitions


class Wording(models.Model):
    """Licensed item wording a clinic imported as a FHIR Questionnaire (never shipped by us)."""

    instrument_key = models.CharField(max_length=40)
    language = models.CharField(max_length=8, default="en")
    title = models.CharField(max_length=200)
    questionnaire = models.JSONField()  # the FHIR R4 Questionnaire as imported
    items = models.JSONField()  # {"1": "item text", ...} extracted on import
    imported_at = models.DateTimeField(auto_now=True)
    imported_by = models.CharField(max_length=254, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["instrument_key", "language"], name="wording_unique_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_key} ({self.language})"


class Assignment(models.Model):
    class Schedule(models.TextChoices):
        ONCE = "once", _("Once")
        WEEKLY = "weekly", _("Every week")
        FORTNIGHTLY = "fortnightly", _("Every two weeks")
        MONTHLY = "monthly", _("Every four weeks")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="assignments")
    instrument_key = models.CharField(max_length=40)
    # ECR-RS relationship targets: standard codes, or keys of TargetName (never the client's words).
    targets = models.JSONField(default=list, blank=True)
    schedule = models.CharField(max_length=12, choices=Schedule.choices, default=Schedule.ONCE)
    next_due = models.DateField()
    active = models.BooleanField(default=True)
    assigned_by = acting_user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["next_due", "created_at"]

    def __str__(self) -> str:
        return f"{self.instrument_key} for {self.client_id}"

    @property
    def short_name(self) -> str:
        return definitions.get(self.instrument_key).short_name


class TargetName(models.Model):
    """A relationship the client named in their own words (ECR-RS), kept encrypted.

    Assignments, scores and answers hold only ``key`` ("own:" and 16 hex digits, see
    ``securebase.measures.targets``), never the words.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="target_names")
    key = models.CharField(max_length=24)
    label = EncryptedTextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="target_name_unique_per_client")
        ]

    def __str__(self) -> str:
        return f"{self.key} of {self.client_id}"


class Administration(models.Model):
    """One completion of a measure, from first answer to submission; resumable until then."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="administrations")
    assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="administrations"
    )
    instrument_key = models.CharField(max_length=40)
    instrument_version = models.CharField(max_length=40)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    # {"": {"1": 2, ...}} or, per relationship target, {"mother": {...}, "own:…": {...}}.
    # Stored encrypted: the answers say more than the totals do.
    answers_json = EncryptedTextField(default="{}")
    entered_by = acting_user()
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-completed_at", "-started_at"]

    def __str__(self) -> str:
        return f"{self.instrument_key} {self.status}"


class Score(models.Model):
    """One subscale score of one completed administration (per relationship target)."""

    administration = models.ForeignKey(
        Administration, on_delete=models.CASCADE, related_name="scores"
    )
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="scores")
    instrument_key = models.CharField(max_length=40)
    target = models.CharField(max_length=60, blank=True)  # a code or a TargetName key, or ""
    subscale = models.CharField(max_length=40)
    value = models.FloatField(null=True)
    band = models.CharField(max_length=60, blank=True)
    completed_at = models.DateTimeField()

    class Meta:
        ordering = ["completed_at"]
        indexes = [
            models.Index(fields=["client", "instrument_key", "completed_at"], name="score_history")
        ]

    def __str__(self) -> str:
        return f"{self.instrument_key}.{self.subscale}={self.value}"
