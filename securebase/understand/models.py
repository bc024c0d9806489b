"""Understanding where patterns come from and how they show up now (DESIGN.md section 2, step 1).

Everything a person writes here is free text and stored encrypted. Client-authored entries carry a
``shared`` flag: the care team sees an entry only when the client shared it.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from securebase.care.models import Client
from securebase.core.crypto import EncryptedTextField
from securebase.core.modeling import VersionSnapshot, acting_user


class Person(models.Model):
    """Someone in the client's life now, in the client's own words (the relationship map)."""

    class Circle(models.TextChoices):
        INNER = "inner", _("Inner circle")
        MIDDLE = "middle", _("Middle circle")
        OUTER = "outer", _("Outer circle")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="people")
    name = EncryptedTextField(_("name or nickname"))
    term = EncryptedTextField(_("what you call them"), blank=True)  # "mum", "my person", …
    circle = models.CharField(_("closeness"), max_length=6, choices=Circle.choices)
    shared = models.BooleanField(_("share with my care team"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["circle", "created_at"]

    def __str__(self) -> str:
        return f"person {self.pk}"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.term})" if self.term else self.name


class PersonRating(models.Model):
    """How this person usually responds, rated now; re-rated over time (0 never … 4 almost always)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ratings")
    rated_at = models.DateTimeField(default=timezone.now)
    reassurance = models.PositiveSmallIntegerField()
    criticism = models.PositiveSmallIntegerField()
    withdrawal = models.PositiveSmallIntegerField()
    reliability = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["rated_at"]

    def __str__(self) -> str:
        return f"rating of {self.person_id} at {self.rated_at:%Y-%m-%d}"


class Moment(models.Model):
    """A concrete episode of connection or of felt threat/abandonment, logged by the client."""

    class Kind(models.TextChoices):
        CONNECTION = "connection", _("A moment of connection")
        THREAT = "threat", _("A moment of threat or feeling let down")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="moments")
    occurred_at = models.DateTimeField(_("when"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moments",
        verbose_name=_("with whom"),
    )
    situation = EncryptedTextField(_("what was happening"), blank=True)
    trigger = EncryptedTextField(_("what set it off"), blank=True)
    body_cues = models.JSONField(_("body cues"), default=list, blank=True)  # checklist codes
    body_notes = EncryptedTextField(_("other body cues"), blank=True)
    # [{"name": "lonely", "intensity": 7}], names from the emotion vocabulary or the client's own.
    emotions_json = EncryptedTextField(default="[]")
    felt_meaning = EncryptedTextField(_("what it felt like it meant"), blank=True)
    evidence = EncryptedTextField(_("what the evidence actually showed"), blank=True)
    responses = models.JSONField(_("what I did"), default=list, blank=True)  # checklist codes
    response_notes = EncryptedTextField(_("what I did, in my words"), blank=True)
    outcome = EncryptedTextField(_("what happened next"), blank=True)
    safety_before = models.PositiveSmallIntegerField(_("how safe I felt before (0–10)"), null=True)
    safety_after = models.PositiveSmallIntegerField(_("how safe I felt after (0–10)"), null=True)
    shared = models.BooleanField(_("share with my care team"), default=False)
    to_discuss = models.BooleanField(default=False)  # marked by the clinician for next session
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = acting_user()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["client", "shared", "-occurred_at"], name="moment_feed")]

    def __str__(self) -> str:
        return f"moment {self.pk}"


class HistoryMap(models.Model):
    """The attachment history map written together; one per client, edited with a version."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="history_map")
    narrative = EncryptedTextField(_("our story so far"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = acting_user()

    def __str__(self) -> str:
        return f"history map of {self.client_id}"


class HistoryEvent(models.Model):
    """A point on the timeline: a caregiver, a separation, a loss, a move, an illness, …"""

    data_subject = "history__client"  # whose data key encrypts its words (core.crypto)

    class Kind(models.TextChoices):
        CAREGIVER = "caregiver", _("Caregiver")
        SEPARATION = "separation", _("Separation")
        LOSS = "loss", _("Loss")
        MOVE = "move", _("Move")
        ILLNESS = "illness", _("Illness")
        RELATIONSHIP = "relationship", _("Significant relationship")
        OTHER = "other", _("Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    history = models.ForeignKey(HistoryMap, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    age_from = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    age_to = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)
    when_text = EncryptedTextField(_("when, in words"), blank=True)  # "about 7", "primary school"
    title = EncryptedTextField(_("in a few words"))
    description = EncryptedTextField(_("what happened, and how it was"), blank=True)
    own_words = EncryptedTextField(_("the client's own words for this person or time"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["age_from", "position"]

    def __str__(self) -> str:
        return f"event {self.pk}"


class Script(models.Model):
    """A recurring relational script: when ___ happens, I expect ___, so I ___."""

    data_subject = "history__client"  # whose data key encrypts its words (core.crypto)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    history = models.ForeignKey(HistoryMap, on_delete=models.CASCADE, related_name="scripts")
    when = EncryptedTextField(_("when this happens"))
    expect = EncryptedTextField(_("I expect"))
    so_i = EncryptedTextField(_("so I"))
    learned_in = models.ManyToManyField(HistoryEvent, blank=True, related_name="scripts")
    shows_up_in = models.ManyToManyField(Moment, blank=True, related_name="scripts")

    def __str__(self) -> str:
        return f"script {self.pk}"


class HistoryVersion(VersionSnapshot):
    """Every saved state of the history map, for "what changed" and so that nothing is lost."""

    data_subject = "history__client"  # whose data key encrypts its words (core.crypto)

    # ``snapshot``: JSON of narrative, events and scripts at that version.
    history = models.ForeignKey(HistoryMap, on_delete=models.CASCADE, related_name="versions")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta(VersionSnapshot.Meta):
        constraints = [
            models.UniqueConstraint(fields=["history", "version"], name="history_version_unique")
        ]

    def __str__(self) -> str:
        return f"history {self.history_id} v{self.version}"
