"""Plan and track (DESIGN.md section 2, step 3): goals, check-ins, sessions, topics for session.

Goals are shared documents written together: one ``version`` per goal for optimistic locking and a
:class:`GoalVersion` snapshot per save. Check-in ratings go to the care team (the form says so);
the optional note stays private unless the client shares it. Free text is encrypted.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from securebase.care.models import Client
from securebase.core.crypto import EncryptedTextField
from securebase.core.modeling import SentOnce, VersionSnapshot, acting_user

GAS_LEVELS = (-2, -1, 0, 1, 2)  # Kiresuk & Sherman (1968): 0 is the expected outcome


class Goal(models.Model):
    """A collaborative goal in the client's words, with five Goal Attainment Scaling levels."""

    class Dimension(models.TextChoices):
        EMOTIONAL = "emotional", _("Emotional")
        BEHAVIOURAL = "behavioural", _("Behavioural")
        RELATIONAL = "relational", _("Relational")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="goals")
    title = EncryptedTextField(_("the goal, in your words"))
    why = EncryptedTextField(_("why it matters to you"), blank=True)
    dimension = models.CharField(_("dimension"), max_length=12, choices=Dimension.choices)
    # How the client will know: a measure they find fair ("3 times before March").
    accountability = EncryptedTextField(_("how we will know"), blank=True)
    target_date = models.DateField(_("by when"), null=True, blank=True)
    # GAS weight (equal weights = 1; Turner-Stokes 2009 uses importance × difficulty).
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    # Where the client starts; Turner-Stokes (2009) lets the baseline be −1, or −2 with no room
    # to get worse (see ../shared/clinical/INSTRUMENTS.md section 3.3).
    baseline_level = models.SmallIntegerField(_("level at the start"), default=-1)
    level_minus_2 = EncryptedTextField(_("−2: much less than expected"))
    level_minus_1 = EncryptedTextField(_("−1: somewhat less than expected"))
    level_0 = EncryptedTextField(_("0: the expected outcome"))
    level_plus_1 = EncryptedTextField(_("+1: somewhat more than expected"))
    level_plus_2 = EncryptedTextField(_("+2: much more than expected"))
    active = models.BooleanField(default=True)
    created_by = acting_user()
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = acting_user()
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)  # optimistic locking of shared edits

    class Meta:
        ordering = ["-active", "created_at"]
        indexes = [models.Index(fields=["client", "active"], name="goal_client_active")]

    def __str__(self) -> str:
        return f"goal {self.pk}"

    def level_text(self, level: int) -> str:
        return getattr(self, LEVEL_FIELDS[level])


LEVEL_FIELDS = {
    -2: "level_minus_2",
    -1: "level_minus_1",
    0: "level_0",
    1: "level_plus_1",
    2: "level_plus_2",
}


class GoalStep(models.Model):
    """A concrete, time-bound step towards a goal, with who does it."""

    data_subject = "goal__client"  # whose data key encrypts its words (core.crypto)

    class Who(models.TextChoices):
        CLIENT = "client", _("Me")
        CLINICIAN = "clinician", _("My therapist")
        TOGETHER = "together", _("Together")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    text = EncryptedTextField(_("step"))
    who = models.CharField(_("who"), max_length=10, choices=Who.choices, default=Who.CLIENT)
    due_on = models.DateField(_("by when"), null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "due_on"]

    def __str__(self) -> str:
        return f"goal step {self.pk}"


class GoalVersion(VersionSnapshot):
    """One saved version of a goal (its steps included): the goal's history."""

    data_subject = "goal__client"  # whose data key encrypts its words (core.crypto)

    # ``snapshot``: JSON of the goal and its steps as saved.
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="versions")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta(VersionSnapshot.Meta):
        constraints = [
            models.UniqueConstraint(fields=["goal", "version"], name="goal_version_unique")
        ]

    def __str__(self) -> str:
        return f"goal {self.goal_id} v{self.version}"


class GoalRating(models.Model):
    """A Goal Attainment Scaling rating (−2…+2) given at a review."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="ratings")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="goal_ratings")
    level = models.SmallIntegerField()
    note = EncryptedTextField(blank=True)
    rated_at = models.DateTimeField(default=timezone.now, db_index=True)
    rated_by = acting_user()

    class Meta:
        ordering = ["-rated_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=-2, level__lte=2), name="goal_rating_level_range"
            )
        ]

    def __str__(self) -> str:
        return f"goal rating {self.pk}"


class CheckinSchedule(models.Model):
    """When the client's short check-in is due, set with the client, in the client's time zone."""

    class Cadence(models.TextChoices):
        DAILY = "daily", _("Every day")
        WEEKLY = "weekly", _("Once a week")
        CUSTOM = "custom", _("On the days I choose")

    class SafetyQuestion(models.TextChoices):
        """How often the check-in asks the safety question: the clinician's choice."""

        EVERY = "every", _("At every check-in")
        DAILY = "daily", _("Once a day")
        WEEKLY = "weekly", _("Once a week")

    client = models.OneToOneField(Client, on_delete=models.CASCADE, related_name="checkin_schedule")
    active = models.BooleanField(default=True)
    cadence = models.CharField(max_length=8, choices=Cadence.choices, default=Cadence.DAILY)
    weekdays = models.JSONField(default=list, blank=True)  # 0 = Monday … 6 = Sunday
    times = models.JSONField(default=list, blank=True)  # ["09:00", "20:00"], local to the client
    remind = models.BooleanField(default=True)
    # Set by a care-team clinician only; "every" is how check-ins always asked before it existed.
    safety_question = models.CharField(
        max_length=8, choices=SafetyQuestion.choices, default=SafetyQuestion.EVERY
    )
    starts_on = models.DateField(default=timezone.localdate)
    # When the current days and times took effect: no slot before it is due or missed, so
    # changing the time does not turn last week's answered check-ins into missed ones.
    effective_at = models.DateTimeField(null=True, blank=True)
    updated_by = acting_user()
    updated_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"check-in schedule of {self.client_id}"


class Checkin(models.Model):
    """A short check-in: mood, closeness, felt security (0–10), a skill practised, a note."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="checkins")
    # The scheduled time this check-in answers (None for an unscheduled one).
    due_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(default=timezone.now, db_index=True)
    late = models.BooleanField(default=False)  # filled in after its slot had passed
    mood = models.PositiveSmallIntegerField()
    closeness = models.PositiveSmallIntegerField()
    felt_security = models.PositiveSmallIntegerField()
    skill = models.CharField(max_length=20, blank=True)  # a code from plan.checkins.SKILLS
    note = EncryptedTextField(blank=True)
    note_shared = models.BooleanField(default=False)
    # The safety question (plan.checkins.SAFETY_ANSWERS): 0 = no, 1 = yes, passing thoughts,
    # 2 = yes, and worried about acting on them. Null = not asked (older check-ins, API clients
    # that leave it out). Any "yes" raises a risk flag (safety.risk.checkin_answer_flags).
    safety = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-completed_at"]
        indexes = [models.Index(fields=["client", "completed_at"], name="checkin_client_time")]
        constraints = [
            models.UniqueConstraint(fields=["client", "due_at"], name="checkin_one_per_slot"),
            models.CheckConstraint(
                condition=models.Q(mood__lte=10, closeness__lte=10, felt_security__lte=10),
                name="checkin_ratings_0_10",
            ),
            models.CheckConstraint(
                condition=models.Q(safety__isnull=True) | models.Q(safety__lte=2),
                name="checkin_safety_0_2",
            ),
        ]

    def __str__(self) -> str:
        return f"check-in {self.pk}"


class CheckinReminder(SentOnce):
    """One reminder for one check-in slot; claimed before sending so it goes at most once."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "due_at"], name="checkin_reminder_once")
        ]

    def __str__(self) -> str:
        return f"check-in reminder {self.pk}"


class TherapySession(models.Model):
    """A session held (or missed): its date starts the next "since last session" window."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("date"))
    attended = models.BooleanField(_("attended"), default=True)
    recorded_by = acting_user()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-recorded_at"]
        indexes = [models.Index(fields=["client", "held_on"], name="session_client_date")]

    def __str__(self) -> str:
        return f"session {self.pk}"


class SessionTopic(models.Model):
    """Something the client wants to talk about next session, in their words (for the team)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="session_topics")
    text = EncryptedTextField(_("what I want to talk about"))
    created_at = models.DateTimeField(default=timezone.now)
    discussed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"session topic {self.pk}"
