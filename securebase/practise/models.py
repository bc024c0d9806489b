"""Practising between sessions (DESIGN.md section 2, step 2). Client-authored unless said so.

Every entry the client writes has a ``shared`` flag (the care team sees shared entries only) and
keeps its free text encrypted. Creating is idempotent through securebase.core.idempotency.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from securebase.care.models import Client
from securebase.core.crypto import EncryptedTextField
from securebase.core.modeling import SentOnce, acting_user


class Entry(models.Model):
    """Fields every client-authored practice entry has."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    shared = models.BooleanField(_("share with my care team"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]  # newest first, unless an entry says otherwise


class Pause(Entry):
    """The pause skill: body cues, the emotion named, intensity, a measured next step."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="pauses")
    body_cues = models.JSONField(default=list, blank=True)  # codes from understand.vocabulary
    # A vocabulary code or the client's own word: free text, so encrypted like the rest.
    emotion = EncryptedTextField()
    intensity_before = models.PositiveSmallIntegerField()  # 0–10
    next_step = EncryptedTextField(blank=True)  # the measured step chosen
    intensity_after = models.PositiveSmallIntegerField(null=True, blank=True)
    rated_again_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"pause {self.pk}"


class Ritual(Entry):
    """A soothing ritual the client defines: name, steps, when it helps."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="rituals")
    name = EncryptedTextField()
    steps = EncryptedTextField(blank=True)
    when_it_helps = EncryptedTextField(blank=True)
    archived = models.BooleanField(default=False)

    class Meta:
        """Rituals have no default order (other entries are listed newest first)."""

    def __str__(self) -> str:
        return f"ritual {self.pk}"


class ToolUse(Entry):
    """One use of a toolkit exercise, with intensity before and after (what helps?)."""

    class Tool(models.TextChoices):
        BREATHING = "breathing", _("Paced breathing")
        GROUNDING = "grounding", _("5-4-3-2-1 grounding")
        RITUAL = "ritual", _("A soothing ritual")
        REFRAME = "reframe", _("Reframing record")
        IMAGERY = "imagery", _("Guided imagery")
        ROLEPLAY = "roleplay", _("Role-play rehearsal")
        COREGULATION = "coregulation", _("Co-regulation with a partner")
        REQUEST = "request", _("Request and boundary builder")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="tool_uses")
    tool = models.CharField(max_length=14, choices=Tool.choices)
    detail = models.JSONField(default=dict, blank=True)  # e.g. {"pattern": "box", "minutes": 3}
    ritual = models.ForeignKey(Ritual, null=True, blank=True, on_delete=models.SET_NULL)
    intensity_before = models.PositiveSmallIntegerField(null=True, blank=True)
    intensity_after = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = EncryptedTextField(blank=True)

    def __str__(self) -> str:
        return f"{self.tool} {self.pk}"


class Reframe(Entry):
    """A cognitive reframing record."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="reframes")
    situation = EncryptedTextField()
    automatic_thought = EncryptedTextField()
    emotion = EncryptedTextField()
    intensity_before = models.PositiveSmallIntegerField()
    evidence_for = EncryptedTextField(blank=True)
    evidence_against = EncryptedTextField(blank=True)
    balanced_thought = EncryptedTextField(blank=True)
    intensity_after = models.PositiveSmallIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"reframe {self.pk}"


class Request(Entry):
    """The request and boundary builder, rehearsed and then logged with how it went."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="requests")
    person = models.ForeignKey(
        "understand.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    what_happened = EncryptedTextField(blank=True)
    i_feel = EncryptedTextField(blank=True)
    i_need = EncryptedTextField(blank=True)
    i_ask = EncryptedTextField(blank=True)
    if_not = EncryptedTextField(blank=True)  # what I will do if…
    how_it_went = EncryptedTextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"request {self.pk}"


class Ladder(models.Model):
    """An attachment ladder built by clinician and client: graded steps of vulnerability."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="ladders")
    title = EncryptedTextField()
    # A step counts as climbed after `climb_attempts` attempts in a row whose peak SUDS is at or
    # below `climb_peak` (set by the clinician; see practise/ladder/rules.py).
    climb_peak = models.PositiveSmallIntegerField(default=40)
    climb_attempts = models.PositiveSmallIntegerField(default=2)
    created_by = acting_user()
    created_at = models.DateTimeField(default=timezone.now)
    archived = models.BooleanField(default=False)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = acting_user()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"ladder {self.pk}"


class LadderStep(models.Model):
    data_subject = "ladder__client"  # whose data key encrypts its words (core.crypto)
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ladder = models.ForeignKey(Ladder, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    description = EncryptedTextField()
    predicted_suds = models.PositiveSmallIntegerField()  # 0–100

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["ladder", "position"], name="ladder_step_position")
        ]

    def __str__(self) -> str:
        return f"step {self.position} of {self.ladder_id}"


class Attempt(Entry):
    """One attempt at a ladder step: SUDS before, at the peak and after, and what happened."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="attempts")
    step = models.ForeignKey(LadderStep, on_delete=models.CASCADE, related_name="attempts")
    attempted_at = models.DateTimeField(default=timezone.now)
    suds_before = models.PositiveSmallIntegerField()
    suds_peak = models.PositiveSmallIntegerField()
    suds_after = models.PositiveSmallIntegerField()
    notes = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["attempted_at"]

    def __str__(self) -> str:
        return f"attempt {self.pk}"


class Experiment(Entry):
    """A behavioural experiment (Bennett-Levy et al. 2004, INSTRUMENTS.md §3.6)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="experiments")
    belief = EncryptedTextField()
    belief_before = models.PositiveSmallIntegerField()  # 0–100 %
    prediction = EncryptedTextField(blank=True)
    plan = EncryptedTextField(blank=True)
    safety_behaviours = EncryptedTextField(blank=True)  # to drop
    outcome = EncryptedTextField(blank=True)
    belief_after = models.PositiveSmallIntegerField(null=True, blank=True)
    learned = EncryptedTextField(blank=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking of edits
    updated_by = acting_user()
    done_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)  # discussed in session

    def __str__(self) -> str:
        return f"experiment {self.pk}"


class JournalEntry(Entry):
    """A feelings-journal entry: free, or prompted by an attempt or an experiment."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="journal")
    written_at = models.DateTimeField(default=timezone.now)
    text = EncryptedTextField()
    emotions_json = EncryptedTextField(default="[]")  # [{"name": ..., "intensity": 0–10}]
    attempt = models.ForeignKey(
        Attempt, null=True, blank=True, on_delete=models.SET_NULL, related_name="journal"
    )
    experiment = models.ForeignKey(
        Experiment, null=True, blank=True, on_delete=models.SET_NULL, related_name="journal"
    )

    class Meta:
        ordering = ["-written_at"]

    def __str__(self) -> str:
        return f"journal {self.pk}"


class Reflection(models.Model):
    """A clinician's short reflection on a shared entry (moment, attempt, experiment, journal)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="reflections")
    entry_type = models.CharField(max_length=20)  # "moment", "attempt", "experiment", "journal"
    entry_id = models.UUIDField()
    text = EncryptedTextField()
    author = acting_user()
    created_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["entry_type", "entry_id"], name="reflection_entry")]

    def __str__(self) -> str:
        return f"reflection on {self.entry_type} {self.entry_id}"


class Homework(models.Model):
    """Something the clinician assigns: a ladder step, an experiment, an exercise, a reading."""

    class Kind(models.TextChoices):
        LADDER_STEP = "ladder_step", _("A ladder step")
        EXPERIMENT = "experiment", _("A behavioural experiment")
        TOOL = "tool", _("A toolkit exercise")
        READING = "reading", _("Reading")
        PAUSE = "pause", _("Practise the pause")
        JOURNAL = "journal", _("Feelings journal")

    class Schedule(models.TextChoices):
        ONCE = "once", _("Once, by the due date")
        DAILY = "daily", _("Every day")
        WEEKLY = "weekly", _("Every week")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="homework")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    target = models.CharField(max_length=80, blank=True)  # step id, tool code, page slug …
    note = EncryptedTextField(blank=True)
    due_on = models.DateField()
    schedule = models.CharField(max_length=8, choices=Schedule.choices, default=Schedule.ONCE)
    assigned_by = acting_user()
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"homework {self.kind} {self.pk}"


class ReminderSettings(models.Model):
    """When the client wants reminders, and when they want quiet."""

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="reminders")
    by_email = models.BooleanField(default=True)
    at_time = models.TimeField(default="18:00")
    quiet_from = models.TimeField(default="21:30")
    quiet_until = models.TimeField(default="08:00")

    def __str__(self) -> str:
        return f"reminders of {self.client_id}"


class Reminder(SentOnce):
    """One reminder due at a moment; sent at most once (the unique key guards a second worker)."""

    homework = models.ForeignKey(Homework, on_delete=models.CASCADE, related_name="reminders")

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["homework", "due_at"], name="reminder_once_per_due")
        ]

    def __str__(self) -> str:
        return f"reminder {self.pk}"


class CoregulationSession(models.Model):
    """One co-regulation exercise done together by a linked couple; both partners see it.

    Holds no free text: each partner's notes live in CoregulationNote, private to that partner.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    partner = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")
    exercise = models.CharField(max_length=60)  # a slug from practise.scripts.COREGULATION
    started_by = models.ForeignKey(
        Client, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"coregulation {self.pk}"


class CoregulationNote(Entry):
    """One partner's private notes on a shared co-regulation session (never seen by the other)."""

    session = models.ForeignKey(CoregulationSession, on_delete=models.CASCADE, related_name="notes")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="coregulation_notes")
    text = EncryptedTextField(blank=True)
    intensity_before = models.PositiveSmallIntegerField(null=True, blank=True)
    intensity_after = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta(Entry.Meta):
        constraints = [
            models.UniqueConstraint(fields=["session", "client"], name="one_note_per_partner")
        ]

    def __str__(self) -> str:
        return f"coregulation note {self.pk}"
