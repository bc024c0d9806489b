"""Homework: what the clinician assigns between sessions, and the reminders planned for it.

``target`` stores what the homework points at (a ladder step id, a tool code, a learn slug …) as
plain text; the client sees "this week" on their home through :func:`this_week`.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from securebase.audit.log import Action, record, record_list
from securebase.care import policy
from securebase.core import idempotency
from securebase.core.errors import InputError
from securebase.practise.models import Homework, LadderStep, Reminder, ReminderSettings, ToolUse

MAX_NOTE = 2000
HOMEWORK_LIMIT = 500  # rows of the active homework list per API page
# Gentle pacing: at most this many active homework items due in any one week (Monday to Sunday).
GENTLE_WEEKLY_LIMIT = 2


class HomeworkError(InputError):
    pass


def prepared(data: dict) -> dict:
    kind = data.get("kind")
    if kind not in Homework.Kind.values:
        raise HomeworkError(_("Choose what kind of homework this is."), "kind")
    schedule = data.get("schedule") or Homework.Schedule.ONCE
    if schedule not in Homework.Schedule.values:
        raise HomeworkError(_("Choose once, every day or every week."), "schedule")
    due_on = data.get("due_on")
    if isinstance(due_on, str):
        try:
            due_on = dt.date.fromisoformat(due_on)
        except ValueError:
            due_on = None
    if not isinstance(due_on, dt.date):
        raise HomeworkError(_("Give a due date (or the first day of the schedule)."), "due_on")
    target = (data.get("target") or "").strip()
    if len(target) > 80:
        raise HomeworkError(_("The target is at most 80 characters."), "target")
    note = (data.get("note") or "").strip()
    if len(note) > MAX_NOTE:
        raise HomeworkError(_("The note is too long."), "note")
    return {"kind": kind, "schedule": schedule, "due_on": due_on, "target": target, "note": note}


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of the week holding ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def due_in_week(client, day: dt.date, today: dt.date | None = None) -> int:
    """Active homework due in the week of ``day``: one-off items due that week and not yet done,
    and repeating items that have started by the end of it (they are due every week)."""
    monday, sunday = week_of(day)
    return (
        Homework.objects.filter(client=client, active=True)
        .filter(
            Q(schedule=Homework.Schedule.ONCE, done_at__isnull=True, due_on__range=(monday, sunday))
            | (~Q(schedule=Homework.Schedule.ONCE) & Q(due_on__lte=sunday))
        )
        .count()
    )


def pacing_room(client, day: dt.date) -> int | None:
    """How many more items may be due in the week of ``day``: None when pacing sets no limit."""
    if client.pacing != "gentle":
        return None
    return max(GENTLE_WEEKLY_LIMIT - due_in_week(client, day), 0)


def _check_pacing(client, due_on: dt.date) -> None:
    """Gentle pacing spaces homework: refuse another item in a week that already has enough."""
    if client.pacing != "gentle":
        return
    # Lock the client row so two assignments at once cannot both take the last place.
    type(client).objects.select_for_update().filter(pk=client.pk).first()
    if pacing_room(client, due_on) == 0:
        monday, _sunday = week_of(due_on)
        raise HomeworkError(
            _(
                "This client chose gentle pacing: at most %(limit)s homework items are due in one "
                "week, and the week of %(week)s already has them. Choose a due date in another "
                "week, or stop an item first."
            )
            % {"limit": GENTLE_WEEKLY_LIMIT, "week": formats.date_format(monday)},
            "due_on",
        )


def assign(client, *, by, data: dict, submission_id=None, request=None) -> tuple[Homework, bool]:
    """A care-team clinician assigns homework (the caller has checked the care team).

    With gentle pacing at most :data:`GENTLE_WEEKLY_LIMIT` items may be due in one week
    (:class:`HomeworkError` on ``due_on`` otherwise); a retried submission still returns the
    first item.
    """
    values = prepared(data)

    def create() -> Homework:
        _check_pacing(client, values["due_on"])
        homework = Homework.objects.create(client=client, assigned_by=by, **values)
        record(
            actor=by,
            action=Action.CREATE,
            object_type="homework",
            object_id=homework.pk,
            client=client,
            request=request,
            detail={"kind": homework.kind, "schedule": homework.schedule},
        )
        return homework

    body = {**values, "due_on": values["due_on"].isoformat()}
    return idempotency.create_once(
        user=by,
        key=submission_id,
        kind="practise.homework",
        body=body,
        model=Homework,
        create=create,
    )


def _today() -> dt.date:
    return timezone.localdate()


def done_for_now(homework: Homework, today: dt.date | None = None) -> bool:
    """Once: done at all. Daily: done today. Weekly: done in the last seven days."""
    if homework.done_at is None:
        return False
    if homework.schedule == Homework.Schedule.ONCE:
        return True
    today = today or _today()
    done_on = timezone.localdate(homework.done_at)
    if homework.schedule == Homework.Schedule.DAILY:
        return done_on == today
    return (today - done_on).days < 7


def homework_for(
    user, client, *, offset: int = 0, limit: int = HOMEWORK_LIMIT, request=None
) -> list[Homework]:
    """The client's active homework, for someone the policy let see the client; audited."""
    found = list(Homework.objects.filter(client=client, active=True)[offset : offset + limit])
    record_list(
        actor=user, object_type="homework", client=client, count=len(found), request=request
    )
    return found


def get_own_homework(user, homework_id) -> Homework:
    """Active homework of the person's own client record; 404 for anyone else's or none."""
    client = policy.client_record_of(user)
    homework = Homework.objects.filter(pk=homework_id, client=client, active=True).first()
    if client is None or homework is None:
        raise Http404("Not found.")
    return homework


def this_week(client, today: dt.date | None = None) -> list[Homework]:
    """Active homework of the coming week, each with ``is_done`` set (for the client's home).

    While the client has paused their programme nothing is overdue.
    """
    today = today or _today()
    paused = getattr(client, "programme_paused_at", None) is not None
    items = []
    for homework in Homework.objects.filter(
        client=client, active=True, due_on__lte=today + dt.timedelta(days=7)
    ).order_by("due_on"):
        homework.is_done = done_for_now(homework, today)
        if (
            homework.schedule == Homework.Schedule.ONCE
            and homework.is_done
            and timezone.localdate(homework.done_at) < today - dt.timedelta(days=7)
        ):
            continue
        homework.overdue = (
            not paused
            and homework.schedule == Homework.Schedule.ONCE
            and not homework.is_done
            and homework.due_on < today
        )
        items.append(homework)
    _label_targets(items)
    return items


def read_this_week(user, client, *, request=None) -> list[Homework]:
    """:func:`this_week` for the client's homework page, audited as a list."""
    items = this_week(client)
    _audit_list(user, client, items, request)
    return items


def assigned(user, client, *, request=None) -> list[Homework]:
    """The client's active homework, each with ``is_done``, for the care team; audited."""
    items = list(Homework.objects.filter(client=client, active=True))
    for item in items:
        item.is_done = done_for_now(item)
    _audit_list(user, client, items, request)
    return items


def _audit_list(user, client, items, request) -> None:
    record(
        actor=user,
        action=Action.LIST,
        object_type="homework",
        object_id=client.pk,
        client=client,
        request=request,
        detail={"count": len(items)},
    )


def _label_targets(items) -> None:
    """Give each item a readable ``target_label`` (a step's words, a tool's name), never an id."""
    step_ids = [h.target for h in items if h.kind == Homework.Kind.LADDER_STEP and h.target]
    steps = {}
    for step in LadderStep.objects.filter(pk__in=[i for i in step_ids if _is_uuid(i)]):
        steps[str(step.pk)] = step.description
    tools = dict(ToolUse.Tool.choices)
    for item in items:
        if item.kind == Homework.Kind.LADDER_STEP:
            item.target_label = steps.get(item.target, "")
        elif item.kind == Homework.Kind.TOOL:
            item.target_label = str(tools.get(item.target, ""))
        elif item.kind == Homework.Kind.READING:
            item.target_label = item.target
        else:
            item.target_label = ""


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _audit_update(homework: Homework, *, by, request=None, **detail) -> None:
    """Audit a change to ``homework`` (``detail`` says which)."""
    record(
        actor=by,
        action=Action.UPDATE,
        object_type="homework",
        object_id=homework.pk,
        client=homework.client,
        request=request,
        detail=detail,
    )


def mark_done(homework: Homework, *, by, request=None) -> Homework:
    with transaction.atomic():
        homework.done_at = timezone.now()
        homework.save(update_fields=["done_at"])
        _audit_update(homework, by=by, request=request, done=True)
    return homework


def stop(homework: Homework, *, by, request=None) -> Homework:
    """The clinician withdraws homework; its pending reminders are dropped."""
    with transaction.atomic():
        homework.active = False
        homework.save(update_fields=["active"])
        homework.reminders.filter(sent_at__isnull=True).delete()
        _audit_update(homework, by=by, request=request, active=False)
    return homework


# --- reminders ------------------------------------------------------------------------------------


def settings_of(client) -> ReminderSettings:
    """The client's reminder settings, or the defaults (unsaved) if they never chose."""
    try:
        return client.reminders
    except ReminderSettings.DoesNotExist:
        return ReminderSettings(
            client=client,
            at_time=dt.time(18, 0),
            quiet_from=dt.time(21, 30),
            quiet_until=dt.time(8, 0),
        )


def _as_time(value) -> dt.time:
    return dt.time.fromisoformat(value) if isinstance(value, str) else value


def in_quiet_hours(prefs: ReminderSettings, moment: dt.datetime) -> bool:
    """Whether ``moment`` falls in the client's quiet hours, on the client's own clock."""
    start, end = _as_time(prefs.quiet_from), _as_time(prefs.quiet_until)
    zone = prefs.client.zone if prefs.client_id else timezone.get_current_timezone()
    now = timezone.localtime(moment, zone).time()
    if start == end:
        return False
    if start < end:
        return start <= now < end
    return now >= start or now < end  # quiet across midnight


def email_reminder(
    client, *, model, pk, now: dt.datetime, claim, message, object_type: str, logger, label: str
) -> bool:
    """Email one due reminder (the ``model`` row ``pk``) to the client once ``claim()`` wins it
    for this worker, with ``message()`` (subject, body); if the mail cannot go, it is put back
    (logged to ``logger`` as the ``label``). Answers whether it was sent (then audited)."""
    address = client.user.email if client.user_id else client.email
    if not address or not claim():
        return False  # another worker has it
    subject, body = message()
    try:
        send_mail(subject, body, None, [address])
    except Exception:
        logger.exception("%s %s could not be sent", label, pk)
        model.objects.filter(pk=pk, sent_at=now).update(sent_at=None)
        return False
    record(
        actor=None,
        action=Action.UPDATE,
        object_type=object_type,
        object_id=pk,
        client=client,
        detail={"sent": True, "channel": "email"},
    )
    return True


def next_due_day(homework: Homework, today: dt.date) -> dt.date | None:
    """The day a reminder is due for this homework, today or later; None if none is needed."""
    if not homework.active or done_for_now(homework, today):
        return None
    if homework.schedule == Homework.Schedule.ONCE:
        return homework.due_on if homework.due_on >= today else None
    if homework.due_on > today:
        return homework.due_on
    if homework.schedule == Homework.Schedule.DAILY:
        return today
    return today + dt.timedelta(days=(homework.due_on.weekday() - today.weekday()) % 7)


def plan_reminders(now: dt.datetime | None = None) -> int:
    """Plan one reminder per active homework's next due day at the client's chosen time.

    Idempotent: the (homework, due_at) unique key makes a second planner a no-op. Nothing is
    planned for a client who paused their programme.
    """
    now = now or timezone.now()
    planned = 0
    for homework in Homework.objects.filter(
        active=True, client__programme_paused_at__isnull=True
    ).select_related("client"):
        prefs = settings_of(homework.client)
        if not prefs.by_email:
            continue
        zone = homework.client.zone  # "today" and the reminder time are the client's
        day = next_due_day(homework, timezone.localdate(now, zone))
        if day is None:
            continue
        due_at = timezone.make_aware(dt.datetime.combine(day, _as_time(prefs.at_time)), zone)
        try:
            with transaction.atomic():
                _, created = Reminder.objects.get_or_create(homework=homework, due_at=due_at)
        except IntegrityError:
            created = False
        planned += int(created)
    return planned
