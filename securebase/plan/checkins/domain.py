"""Check-ins: the client's short, regular check-in, on a schedule set together with the client.

A check-in is three 0–10 ratings (mood, closeness, felt security) that the care team sees, one skill
practised, the safety question (:data:`SAFETY_ANSWERS`; any "yes" raises a risk flag and shows the
client their safety plan; asked at every check-in, once a day or once a week, as the client's
clinician chooses: :func:`asks_safety`), and an optional note that stays private unless the client shares it.
Risk language in the note raises a flag too, saying only where it came from when the note is
private. It answers one *slot* of the client's schedule (a day and a local time, see
:mod:`securebase.plan.checkins.rules`); a missed slot can be filled in late, up to ``LATE_LIMIT`` after
it, and is then marked late. There is at most one check-in per slot: a further check-in while the
open slot is already answered is saved as an unscheduled one (its safety answer and note are never
turned away), and only a late fill-in of a slot already answered is refused. Without a schedule,
check-ins are still welcome and answer no slot.

Every state change is one function here that owns its transaction and its audit event (never with
clinical text). The read helpers (:func:`schedule_of`, :func:`due_now`, :func:`missed_slots`,
:func:`recent`) cost a fixed number of queries, so the progress page, the session brief and the
caseload can call them per client without surprises.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from securebase.audit.log import Action, record, record_list, record_retry
from securebase.care import policy
from securebase.care.models import Client
from securebase.core import idempotency
from securebase.core.errors import InputError
from securebase.core.versioning import StaleSave, claim_version, is_own_retry, same_fields
from securebase.plan.checkins import rules as slots_of
from securebase.plan.checkins.rules import LATE_LIMIT, Schedule
from securebase.plan.models import Checkin, CheckinSchedule
from securebase.practise.models import Homework, ToolUse
from securebase.safety.flags import domain as flags
from securebase.safety.flags import rules as risk
from securebase.safety.models import Alert

RATINGS = ("mood", "closeness", "felt_security")
MAX_NOTE = 2000
MAX_TIMES = 2  # one or two check-ins a day keep it short
CHECKINS_LIMIT = 90  # rows of the check-ins list, on the pages and per API page

# The skill practised, with the codes the practise area already uses where it has one.
SKILLS: tuple[tuple[str, object], ...] = (
    (Homework.Kind.PAUSE.value, gettext_lazy("The pause")),
    (ToolUse.Tool.BREATHING.value, gettext_lazy("Paced breathing")),
    (ToolUse.Tool.GROUNDING.value, gettext_lazy("Grounding")),
    (ToolUse.Tool.RITUAL.value, gettext_lazy("A soothing ritual")),
    (ToolUse.Tool.REFRAME.value, gettext_lazy("Reframing")),
    (ToolUse.Tool.REQUEST.value, gettext_lazy("Asking for what I need")),
    (Homework.Kind.LADDER_STEP.value, gettext_lazy("A ladder step")),
    (Homework.Kind.EXPERIMENT.value, gettext_lazy("An experiment")),
    (Homework.Kind.JOURNAL.value, gettext_lazy("The feelings journal")),
    ("other", gettext_lazy("Something else")),
)
NO_SKILL = ""  # "nothing today" is stored as an empty code
SKILL_CODES = frozenset(code for code, _label in SKILLS)

# The safety question, in our own words (not from a licensed instrument). Any answer above 0
# raises a flag for the care team (safety.risk.checkin_answer_flags).
SAFETY_QUESTION = gettext_lazy(
    "Since your last check-in, have you had thoughts of harming yourself or of not wanting to be "
    "alive?"
)
# Asked less often than every check-in, the question covers the whole time since the last answer,
# not only since the last check-in, so nothing in between goes unasked.
SAFETY_QUESTION_SINCE_ANSWERED = gettext_lazy(
    "Since you last answered this question, have you had thoughts of harming yourself or of not "
    "wanting to be alive?"
)
SAFETY_ANSWERS: tuple[tuple[int, object], ...] = (
    (0, gettext_lazy("No")),
    (1, gettext_lazy("Yes, passing thoughts")),
    (2, gettext_lazy("Yes, and I'm worried I might act on them")),
)


SafetyQuestion = CheckinSchedule.SafetyQuestion
DEFAULT_SAFETY_QUESTION = SafetyQuestion.EVERY  # how every check-in asked before it was a choice
# What the client is told, on their check-in and schedule pages.
SAFETY_FREQUENCY_TEXTS = {
    SafetyQuestion.EVERY: gettext_lazy(
        "Your clinician asks the safety question at every check-in."
    ),
    SafetyQuestion.DAILY: gettext_lazy("Your clinician asks the safety question once a day."),
    SafetyQuestion.WEEKLY: gettext_lazy("Your clinician asks the safety question once a week."),
}


def safety_label(answer: int | None) -> str:
    """The words of a safety answer ("" when the question was not asked)."""
    return "" if answer is None else str(dict(SAFETY_ANSWERS).get(answer, answer))


def skill_label(code: str) -> str:
    """The label of a skill code ("" for none, the code itself if unknown)."""
    return str(dict(SKILLS).get(code, code)) if code else ""


class CheckinError(InputError):
    """Input that cannot be saved, with a message for the person and the field it concerns."""

    api_names_field = False  # the check-in API has always answered the message alone


class NotAllowed(PermissionError):
    """The person may not do this (the caller should already have answered 404 or 403)."""


# --- the schedule --------------------------------------------------------------------------------


def zone_of(client: Client) -> str:
    """The client's IANA time zone name (see ``Client.zone``)."""
    return client.zone.key


def schedule_record(client: Client) -> CheckinSchedule | None:
    """The stored schedule (active or not), or None; one query unless already loaded."""
    try:
        return client.checkin_schedule
    except CheckinSchedule.DoesNotExist:
        return None


def as_schedule(record: CheckinSchedule, client: Client) -> Schedule | None:
    """The pure :class:`Schedule` of a stored one; None when inactive or it has no days."""
    if not record.active:
        return None
    found = Schedule(
        cadence=record.cadence,
        weekdays=tuple(record.weekdays or ()),
        times=tuple(record.times or ()) or (slots_of.DEFAULT_TIME,),
        time_zone=zone_of(client),
        starts_on=record.starts_on,
        effective_from=record.effective_at,
    )
    return found if found.days() else None


def audit_schedule_read(*, by, client, request=None) -> None:
    """The check-in schedule was read (its page, or the API's next check-in)."""
    record(
        actor=by,
        action=Action.READ,
        object_type="checkin_schedule",
        object_id=client.pk,
        client=client,
        request=request,
    )


def schedule_of(client: Client) -> Schedule | None:
    """The client's active check-in schedule in their own time zone, or None."""
    found = schedule_record(client)
    return as_schedule(found, client) if found is not None else None


def schedule_record_for(user, client: Client, *, request=None) -> CheckinSchedule | None:
    """The client's stored schedule (active or not, None before one is set), for someone the
    policy already let see the client; audited as read."""
    audit_schedule_read(by=user, client=client, request=request)
    return schedule_record(client)


def schedule_for(user, client: Client, *, request=None) -> Schedule | None:
    """:func:`schedule_of`, for someone the policy already let see the client; audited as read."""
    audit_schedule_read(by=user, client=client, request=request)
    return schedule_of(client)


def safety_question_of(client: Client) -> str:
    """How often the client's check-in asks the safety question (the default without a schedule).

    It holds whether or not check-ins are on a schedule: unscheduled check-ins ask it the same way.
    """
    found = schedule_record(client)
    return found.safety_question if found is not None else DEFAULT_SAFETY_QUESTION


def safety_frequency_text(client: Client) -> str:
    """The sentence that tells the client how often their clinician asks the safety question."""
    return str(SAFETY_FREQUENCY_TEXTS[SafetyQuestion(safety_question_of(client))])


def safety_question_text(client: Client) -> str:
    """The safety question as worded for this client's frequency."""
    if safety_question_of(client) == SafetyQuestion.EVERY:
        return str(SAFETY_QUESTION)
    return str(SAFETY_QUESTION_SINCE_ANSWERED)


def asks_safety(client: Client, at: dt.datetime | None = None) -> bool:
    """Whether a check-in made at ``at`` asks the safety question, by the clinician's choice.

    Every check-in: always. Once a day: unless a check-in with a safety answer was already made
    that day, in the client's own time zone. Once a week: unless one was made in the 7 days
    before ``at``. At most two queries (the schedule, unless loaded, and one existence check).
    """
    frequency = safety_question_of(client)
    if frequency == SafetyQuestion.EVERY:
        return True
    at = at or timezone.now()
    if frequency == SafetyQuestion.DAILY:
        day = at.astimezone(client.zone).date()
        since = dt.datetime.combine(day, dt.time(0), tzinfo=client.zone)
        answered = Checkin.objects.filter(completed_at__gte=since)
    else:
        answered = Checkin.objects.filter(completed_at__gt=at - dt.timedelta(days=7))
    return not answered.filter(client=client, safety__isnull=False, completed_at__lte=at).exists()


def _weekdays(cadence: str, weekdays) -> list[int]:
    try:
        days = sorted({int(d) for d in (weekdays or ())})
    except (TypeError, ValueError):
        raise CheckinError(_("Choose days from Monday to Sunday."), "weekdays") from None
    if any(not 0 <= d <= 6 for d in days):
        raise CheckinError(_("Choose days from Monday to Sunday."), "weekdays")
    if cadence == CheckinSchedule.Cadence.DAILY:
        return []
    if cadence == CheckinSchedule.Cadence.WEEKLY and len(days) != 1:
        raise CheckinError(_("Choose the one day of the week for your check-in."), "weekdays")
    if cadence == CheckinSchedule.Cadence.CUSTOM and not days:
        raise CheckinError(_("Choose at least one day."), "weekdays")
    return days


def _times(times) -> list[str]:
    found = set()
    for raw in times or ():
        if raw in (None, ""):
            continue
        if isinstance(raw, dt.time):
            value = raw
        else:
            try:
                value = dt.time.fromisoformat(str(raw))
            except ValueError:
                raise CheckinError(
                    _("Give times as hours and minutes, like 19:00."), "times"
                ) from None
        found.add(value.replace(second=0, microsecond=0, tzinfo=None).strftime("%H:%M"))
    if not found:
        raise CheckinError(_("Choose a time for your check-in."), "times")
    if len(found) > MAX_TIMES:
        raise CheckinError(_("Choose one or two times a day."), "times")
    return sorted(found)


def set_schedule(
    client: Client,
    *,
    by,
    cadence: str,
    weekdays,
    times,
    remind: bool,
    active: bool,
    version: int,
    safety_question: str | None = None,
    request=None,
) -> CheckinSchedule:
    """Save the schedule, set together by the client and (or) a care-team clinician.

    ``version`` is the version the person started from (0 when there was no schedule yet): if
    someone saved in between, :class:`StaleSave` is raised with the current one and nothing
    is overwritten. A retry of this person's own save (the same schedule, one version on)
    answers with the saved schedule. How often the safety question is asked
    (``safety_question``) is the clinician's choice: only a care-team clinician may give it;
    None keeps it as it is.
    """
    if not policy.plan_readers_of(by, client):
        raise NotAllowed
    if cadence not in CheckinSchedule.Cadence.values:
        raise CheckinError(_("Choose how often to check in."), "cadence")
    values = {
        "cadence": cadence,
        "weekdays": _weekdays(cadence, weekdays),
        "times": _times(times),
        "remind": bool(remind),
        "active": bool(active),
    }
    if safety_question is not None:
        if not policy.is_on_care_team(by, client):
            raise NotAllowed
        if safety_question not in SafetyQuestion.values:
            raise CheckinError(_("Choose how often to ask the safety question."), "safety_question")
        values["safety_question"] = safety_question
    now = timezone.now()

    same_content = same_fields(dict(values))

    def answer_retry(saved: CheckinSchedule) -> CheckinSchedule:
        record_retry(
            actor=by, object_type="checkin_schedule", saved=saved, client=client, request=request
        )
        client.checkin_schedule = saved
        return saved

    with transaction.atomic():
        current = CheckinSchedule.objects.filter(client=client).first()
        if current is None:
            if version:
                raise StaleSave(None)
            try:
                with transaction.atomic():
                    saved = CheckinSchedule.objects.create(
                        client=client,
                        updated_by=by,
                        updated_at=now,
                        starts_on=now.astimezone(client.zone).date(),
                        version=1,
                        **values,
                    )
            except IntegrityError:
                other = CheckinSchedule.objects.get(client=client)
                if is_own_retry(other, version=0, by=by, same_content=same_content(other)):
                    return answer_retry(other)
                raise StaleSave(other) from None
        else:
            timing = ("cadence", "weekdays", "times", "active")
            changes = dict(values)
            if any(getattr(current, name) != values[name] for name in timing):
                changes["effective_at"] = now  # new days or times count from now on
            retry = claim_version(
                CheckinSchedule.objects,
                current.pk,
                version=version,
                by=by,
                same_content=same_content,
                updated_at=now,
                **changes,
            )
            if retry is not None:
                return answer_retry(retry)
            saved = CheckinSchedule.objects.get(pk=current.pk)
        record(
            actor=by,
            action=Action.UPDATE if current else Action.CREATE,
            object_type="checkin_schedule",
            object_id=saved.pk,
            client=client,
            request=request,
            detail={
                "cadence": saved.cadence,
                "days": len(saved.weekdays),
                "times": len(saved.times),
                "remind": saved.remind,
                "active": saved.active,
                "safety_question": saved.safety_question,
                "version": saved.version,
            },
        )
    client.checkin_schedule = saved
    return saved


# --- check-ins -----------------------------------------------------------------------------------


def _rating(value, field: str) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise CheckinError(_("Choose a number from 0 to 10."), field)
    return value


def _safety(value) -> int | None:
    """The safety answer (0–2), or None when the question was not asked."""
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value not in dict(SAFETY_ANSWERS):
        raise CheckinError(_("Choose one of the answers."), "safety")
    return value


def parse_due_at(value) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise CheckinError(_("This check-in time is not valid."), "due_at") from None
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        raise CheckinError(_("This check-in time is not valid."), "due_at")
    return value.astimezone(dt.UTC)


def prepared(client: Client, data: dict) -> dict:
    """Validated values of a check-in (raises :class:`CheckinError` naming the field)."""
    values = {name: _rating(data.get(name), name) for name in RATINGS}
    skill = data.get("skill") or NO_SKILL
    if skill != NO_SKILL and skill not in SKILL_CODES:
        raise CheckinError(_("Choose a skill from the list."), "skill")
    note = (data.get("note") or "").strip()
    if len(note) > MAX_NOTE:
        raise CheckinError(
            _("Keep the note under %(count)s characters.") % {"count": MAX_NOTE}, "note"
        )
    shared = data.get("note_shared")
    values.update(
        safety=_safety(data.get("safety")),
        skill=skill,
        note=note,
        note_shared=bool(client.shares_by_default if shared is None else shared),
        due_at=parse_due_at(data.get("due_at")),
    )
    return values


def _late_slot(schedule: Schedule | None, due_at: dt.datetime, now: dt.datetime) -> dt.datetime:
    """Check that ``due_at`` is a slot of the schedule that may be answered now."""
    if schedule is None or due_at not in slots_of.slots(
        schedule, due_at, due_at + dt.timedelta(seconds=1)
    ):
        raise CheckinError(_("There is no check-in due at that time in your schedule."), "due_at")
    if due_at - slots_of.EARLY > now:
        raise CheckinError(_("This check-in is not due yet."), "due_at")
    if now - due_at > LATE_LIMIT:
        raise CheckinError(
            _("This check-in is more than %(days)s days old and can no longer be filled in.")
            % {"days": LATE_LIMIT.days},
            "due_at",
        )
    return due_at


def record_checkin(
    client: Client, *, by, data: dict, submission_id=None, now=None, request=None
) -> tuple[Checkin, bool]:
    """Save the client's check-in; with ``submission_id`` a retry returns the first one.

    It answers the slot open now, or the missed slot named by ``data["due_at"]`` (then marked
    late once past its on-time window). When the open slot is already answered, the check-in is
    saved unscheduled (no slot, not late) rather than refused: a second check-in may be the one
    that says the client is not safe. Only a late fill-in of a slot already answered is refused.
    Only the client checks in. A "yes" to the safety question
    or risk language in the note raises a flag in the same transaction (a replay raises nothing
    again); the returned check-in then carries ``risk_alert``. The pages leave the question out
    when :func:`asks_safety` says it is not asked this time, and the check-in then has no safety
    answer; an answer sent anyway (an older form, an API client) is kept and flagged as usual,
    because safety overrides convenience.
    """
    if policy.client_record_of(by) != client:
        raise NotAllowed
    values = prepared(client, data)
    now = now or timezone.now()

    def create() -> Checkin:
        schedule = schedule_of(client)
        fill_in = values["due_at"] is not None  # the client chose a missed slot to fill in
        if fill_in:
            slot = _late_slot(schedule, values["due_at"], now)
            late = slots_of.is_late(slot, now)
        else:
            slot = slots_of.slot_for(schedule, now) if schedule else None
            late = False
        if slot is not None and Checkin.objects.filter(client=client, due_at=slot).exists():
            # The slot is answered already (another device, or a second check-in): nothing a
            # client sends is dropped, so this one is kept as an extra, unscheduled check-in.
            slot, late = None, False
        fields = {k: v for k, v in values.items() if k != "due_at"}
        try:
            with transaction.atomic():
                checkin = Checkin.objects.create(
                    client=client, due_at=slot, completed_at=now, late=late, **fields
                )
        except IntegrityError:
            # The slot was answered a moment ago (another device): keep this one unscheduled.
            slot, late = None, False
            checkin = Checkin.objects.create(
                client=client, due_at=None, completed_at=now, late=False, **fields
            )
        record(
            actor=by,
            action=Action.CREATE,
            object_type="checkin",
            object_id=checkin.pk,
            client=client,
            request=request,
            detail={
                "scheduled": slot is not None,
                "late": late,
                "note_shared": checkin.note_shared,
            },
        )
        checkin.risk_alert = _raise_flags(checkin, by=by, request=request)
        # maintain.boosters imports this module (maintain.inputs -> measures.domain ->
        # safety.alerts.domain -> here): a real cycle.
        from securebase.maintain.boosters import check_client_after_commit  # noqa: PLC0415

        check_client_after_commit(client)  # after tapering or discharge, look for a booster
        return checkin

    return idempotency.create_once(
        user=by,
        key=submission_id,
        kind="plan.checkin",
        body=values,
        model=Checkin,
        create=create,
    )


def _raise_flags(checkin: Checkin, *, by, request=None):
    """Flag a "yes" to the safety question and risk language in the note; the first flag or None.

    The answer itself is seen by the care team like the ratings; the note only when shared.
    """
    raised = None
    if risk.checkin_answer_flags(checkin.safety):
        raised, _created = flags.raise_flag(
            checkin.client,
            kind=Alert.Kind.RISK_CHECKIN,
            source_type="checkin",
            source_id=checkin.pk,
            shared=True,
            detail={"answer": checkin.safety},
            by=by,
            request=request,
        )
    worded = flags.check_text(
        checkin.client,
        texts=[checkin.note],
        source_type="checkin",
        source_id=checkin.pk,
        shared=checkin.note_shared,
        by=by,
        request=request,
    )
    return raised or worded


# --- reading (fixed query counts) ---------------------------------------------------------------


def read_recent(user, client: Client, *, limit: int, request=None) -> list[Checkin]:
    """:func:`recent` for the check-ins pages, audited as a list."""
    checkins = recent(client, viewer=user, limit=limit)
    record(
        actor=user,
        action=Action.LIST,
        object_type="checkins",
        object_id=client.pk,
        client=client,
        request=request,
        detail={"count": len(checkins)},
    )
    return checkins


def due_now(client: Client, now: dt.datetime | None = None) -> dt.datetime | None:
    """The slot open now if the client has not answered it yet; otherwise None.

    At most two queries (the schedule, unless loaded, and one existence check). Nothing is due
    while the client has paused their programme.
    """
    if client.programme_paused_at is not None:
        return None
    now = now or timezone.now()
    schedule = schedule_of(client)
    slot = slots_of.slot_for(schedule, now) if schedule else None
    if slot is None or Checkin.objects.filter(client=client, due_at=slot).exists():
        return None
    return slot


def missed_slots(
    client: Client, now: dt.datetime | None = None, since: dt.datetime | None = None
) -> list[dt.datetime]:
    """Slots since ``since`` (default: ``LATE_LIMIT`` ago) left without a check-in, oldest first.

    At most two queries, however many slots and check-ins there are. Slots after the client
    paused their programme are not missed.
    """
    now = now or timezone.now()
    since = since or now - LATE_LIMIT
    if client.programme_paused_at is not None:
        now = min(now, client.programme_paused_at)
    schedule = schedule_of(client)
    if schedule is None:
        return []
    answered = Checkin.objects.filter(
        client=client, due_at__gte=since, due_at__lte=now
    ).values_list("due_at", flat=True)
    return slots_of.missed(schedule, answered, now, since=since)


def recent(
    client: Client,
    *,
    viewer=None,
    limit: int = 30,
    offset: int = 0,
    since: dt.datetime | None = None,
) -> list[Checkin]:
    """The client's latest check-ins, newest first, in one query.

    Each carries ``skill_text`` and, when ``viewer`` is given, ``note_visible`` (the client sees
    their note; the care team only a shared one — :func:`policy.checkin_note_visible`).
    """
    found = Checkin.objects.filter(client=client)
    if since is not None:
        found = found.filter(completed_at__gte=since)
    checkins = list(found.order_by("-completed_at")[offset : offset + limit])
    for checkin in checkins:
        checkin.client = client  # already checked by the caller; saves a query per row
        checkin.skill_text = skill_label(checkin.skill)
        checkin.safety_text = safety_label(checkin.safety)
        checkin.note_visible = viewer is not None and policy.checkin_note_visible(viewer, checkin)
    return checkins


def checkins_for(
    user, client: Client, *, offset: int = 0, limit: int = CHECKINS_LIMIT, request=None
) -> list[Checkin]:
    """:func:`recent` for a reader of the client's plan, with the list audited."""
    checkins = recent(client, viewer=user, limit=limit, offset=offset)
    record_list(
        actor=user, object_type="checkins", client=client, count=len(checkins), request=request
    )
    return checkins
