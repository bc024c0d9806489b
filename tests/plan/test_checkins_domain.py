"""Check-ins: slots answered, late fill-ins, one per slot, idempotent replays, the schedule."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone as dj_timezone

from securebase.audit.models import AuditEvent
from securebase.core.versioning import StaleSave
from securebase.plan.checkins import domain as checkins
from securebase.plan.models import Checkin, CheckinSchedule
from tests.factories import CheckinFactory

UTC = dt.UTC
RATINGS = {"mood": 6, "closeness": 4, "felt_security": 5}


def at(*args):
    return dt.datetime(*args, tzinfo=UTC)


def _schedule(client, by, *, cadence="daily", weekdays=(), times=("19:00",), remind=True):
    saved = checkins.set_schedule(
        client,
        by=by,
        cadence=cadence,
        weekdays=list(weekdays),
        times=list(times),
        remind=remind,
        active=True,
        version=0,
    )
    CheckinSchedule.objects.filter(pk=saved.pk).update(starts_on=dt.date(2026, 1, 1))
    client.refresh_from_db()
    return saved


def _check_in(client, now, key=None, **data):
    return checkins.record_checkin(
        client, by=client.user, data={**RATINGS, **data}, submission_id=key, now=now
    )


def test_a_check_in_answers_the_slot_open_now(alex, maya):
    _schedule(maya, alex)
    checkin, created = _check_in(maya, at(2026, 11, 20, 19, 40))
    assert created
    assert (checkin.due_at, checkin.late) == (at(2026, 11, 20, 19), False)


def test_a_check_in_follows_the_clients_own_clock(alex, maya):
    maya.time_zone = "Europe/Madrid"
    maya.save()
    _schedule(maya, alex, times=("20:00",))
    checkin, _ = _check_in(maya, at(2026, 11, 20, 19, 5))
    assert checkin.due_at == at(2026, 11, 20, 19)  # 20:00 in Madrid is 19:00 UTC in winter


def test_without_a_schedule_a_check_in_answers_no_slot(maya):
    checkin, _ = _check_in(maya, at(2026, 11, 20, 10))
    assert checkin.due_at is None and checkin.late is False


def test_a_missed_slot_filled_in_later_is_marked_late(alex, maya):
    _schedule(maya, alex)
    now = at(2026, 11, 22, 12)
    assert checkins.missed_slots(maya, now, since=at(2026, 11, 19)) == [
        at(2026, 11, 19, 19),
        at(2026, 11, 20, 19),
        at(2026, 11, 21, 19),
    ]
    checkin, _ = _check_in(maya, now, due_at=at(2026, 11, 20, 19).isoformat())
    assert (checkin.due_at, checkin.late) == (at(2026, 11, 20, 19), True)
    assert checkins.missed_slots(maya, now, since=at(2026, 11, 19)) == [
        at(2026, 11, 19, 19),
        at(2026, 11, 21, 19),
    ]


def test_a_time_that_is_not_a_slot_is_refused_with_a_clear_message(alex, maya):
    _schedule(maya, alex)
    with pytest.raises(checkins.CheckinError) as refused:
        _check_in(maya, at(2026, 11, 22, 12), due_at=at(2026, 11, 20, 18).isoformat())
    assert refused.value.field == "due_at"
    assert str(refused.value) == "There is no check-in due at that time in your schedule."
    assert not Checkin.objects.exists()


def test_a_slot_older_than_the_late_limit_cannot_be_filled_in(alex, maya):
    _schedule(maya, alex)
    with pytest.raises(checkins.CheckinError) as refused:
        _check_in(maya, at(2026, 11, 22, 12), due_at=at(2026, 11, 10, 19).isoformat())
    assert str(refused.value) == (
        "This check-in is more than 7 days old and can no longer be filled in."
    )


def test_a_future_slot_cannot_be_filled_in(alex, maya):
    _schedule(maya, alex)
    with pytest.raises(checkins.CheckinError) as refused:
        _check_in(maya, at(2026, 11, 22, 12), due_at=at(2026, 11, 24, 19).isoformat())
    assert str(refused.value) == "This check-in is not due yet."


def test_a_replay_returns_the_first_check_in_and_creates_nothing(alex, maya):
    _schedule(maya, alex)
    key = uuid.uuid4()
    first, created = _check_in(maya, at(2026, 11, 20, 19, 40), key=key)
    again, created_again = _check_in(maya, at(2026, 11, 20, 19, 45), key=key)
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Checkin.objects.count() == 1


def test_a_second_check_in_for_the_same_slot_is_saved_without_a_slot(alex, maya):
    _schedule(maya, alex)
    first, _ = _check_in(maya, at(2026, 11, 20, 19, 40), key=uuid.uuid4())
    second, created = _check_in(maya, at(2026, 11, 20, 21), key=uuid.uuid4())
    assert created
    assert (first.due_at, second.due_at, second.late) == (at(2026, 11, 20, 19), None, False)
    assert Checkin.objects.count() == 2


def test_filling_in_late_a_slot_answered_meanwhile_keeps_it_as_an_extra_check_in(alex, maya):
    """Nothing a client sends is dropped: the slot stays with its first answer."""
    _schedule(maya, alex)
    slot = at(2026, 11, 20, 19)
    first, _ = _check_in(maya, at(2026, 11, 20, 19, 40), key=uuid.uuid4())
    extra, _ = _check_in(maya, at(2026, 11, 21, 12), key=uuid.uuid4(), due_at=slot.isoformat())
    assert (first.due_at, extra.due_at, extra.late) == (slot, None, False)
    assert Checkin.objects.count() == 2


@pytest.mark.parametrize(
    ("field", "value"), [("mood", 11), ("closeness", -1), ("felt_security", None), ("mood", True)]
)
def test_ratings_must_be_whole_numbers_from_0_to_10(maya, field, value):
    with pytest.raises(checkins.CheckinError) as refused:
        _check_in(maya, at(2026, 11, 20, 10), **{field: value})
    assert (refused.value.field, str(refused.value)) == (field, "Choose a number from 0 to 10.")


def test_an_unknown_skill_is_refused_and_a_known_one_kept(maya):
    with pytest.raises(checkins.CheckinError) as refused:
        _check_in(maya, at(2026, 11, 20, 10), skill="flying")
    assert refused.value.field == "skill"
    checkin, _ = _check_in(maya, at(2026, 11, 20, 11), skill="breathing")
    assert checkins.skill_label(checkin.skill) == "Paced breathing"


def test_the_note_is_shared_by_the_clients_default_unless_chosen(maya):
    maya.shares_by_default = True
    maya.save()
    default, _ = _check_in(maya, at(2026, 11, 20, 10), note="A hard day at work.")
    private, _ = _check_in(maya, at(2026, 11, 20, 11), note="Mine.", note_shared=False)
    assert (default.note_shared, private.note_shared) == (True, False)


def test_only_the_client_checks_in(alex, maya):
    with pytest.raises(checkins.NotAllowed):
        checkins.record_checkin(maya, by=alex, data=RATINGS, submission_id=None)


def test_a_check_in_is_audited_without_its_note(maya):
    checkin, _ = _check_in(maya, at(2026, 11, 20, 10), note="Something private")
    event = AuditEvent.objects.get(object_type="checkin", object_id=str(checkin.pk))
    assert event.detail == {"scheduled": False, "late": False, "note_shared": False}


def test_due_now_is_the_open_slot_until_it_is_answered(alex, maya):
    _schedule(maya, alex)
    now = at(2026, 11, 20, 18)
    assert checkins.due_now(maya, now) == at(2026, 11, 20, 19)
    _check_in(maya, now)
    assert checkins.due_now(maya, now) is None
    assert checkins.due_now(maya, at(2026, 11, 20, 12)) is None  # between slots


def test_the_schedule_is_set_by_client_and_clinician_with_optimistic_locking(alex, maya):
    saved = _schedule(maya, alex, cadence="weekly", weekdays=(2,), times=("09:00",))
    assert saved.version == 1
    mine = checkins.set_schedule(
        maya,
        by=maya.user,
        cadence="custom",
        weekdays=[0, 3],
        times=["20:00", "08:30"],
        remind=False,
        active=True,
        version=1,
    )
    assert (mine.version, mine.weekdays, mine.times) == (2, [0, 3], ["08:30", "20:00"])
    with pytest.raises(StaleSave) as stale:
        checkins.set_schedule(
            maya, by=alex, cadence="daily", weekdays=[], times=["19:00"], remind=True,
            active=True, version=1,
        )  # fmt: skip
    assert stale.value.current.version == 2
    assert CheckinSchedule.objects.get(client=maya).cadence == "custom"


def test_the_schedule_is_not_set_by_someone_outside_the_care_team(sam, maya):
    with pytest.raises(checkins.NotAllowed):
        checkins.set_schedule(
            maya, by=sam, cadence="daily", weekdays=[], times=["19:00"], remind=True,
            active=True, version=0,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("cadence", "weekdays", "times", "field"),
    [
        ("weekly", [], ["19:00"], "weekdays"),
        ("weekly", [1, 2], ["19:00"], "weekdays"),
        ("custom", [], ["19:00"], "weekdays"),
        ("daily", [], [], "times"),
        ("daily", [], ["07:00", "12:00", "19:00"], "times"),
        ("daily", [], ["25:00"], "times"),
        ("hourly", [], ["19:00"], "cadence"),
    ],
)
def test_a_schedule_that_cannot_work_names_the_field(maya, cadence, weekdays, times, field):
    with pytest.raises(checkins.CheckinError) as refused:
        checkins.set_schedule(
            maya, by=maya.user, cadence=cadence, weekdays=weekdays, times=times, remind=True,
            active=True, version=0,
        )  # fmt: skip
    assert refused.value.field == field


def test_an_inactive_schedule_has_no_slots(alex, maya):
    saved = _schedule(maya, alex)
    CheckinSchedule.objects.filter(pk=saved.pk).update(active=False)
    maya.refresh_from_db()
    assert checkins.schedule_of(maya) is None
    assert checkins.missed_slots(maya, at(2026, 11, 22, 12)) == []


def test_recent_shows_the_care_team_a_note_only_when_shared(alex, maya):
    _check_in(maya, at(2026, 11, 20, 10), note="private", note_shared=False)
    _check_in(maya, at(2026, 11, 20, 11), note="shared", note_shared=True)
    seen = {c.note: c.note_visible for c in checkins.recent(maya, viewer=alex)}
    own = {c.note: c.note_visible for c in checkins.recent(maya, viewer=maya.user)}
    assert seen == {"private": False, "shared": True}
    assert own == {"private": True, "shared": True}


def test_changing_the_check_in_time_does_not_turn_answered_days_into_missed_ones(alex, maya):
    """A week of 09:10 check-ins, then the time moves to 20:00: nothing was missed."""
    now = dj_timezone.now().replace(minute=0, second=0, microsecond=0)
    schedule = checkins.set_schedule(
        maya,
        by=maya.user,
        cadence="daily",
        weekdays=[],
        times=["09:00"],
        remind=False,
        active=True,
        version=0,
    )
    CheckinSchedule.objects.filter(pk=schedule.pk).update(
        starts_on=(now - dt.timedelta(days=8)).date(), effective_at=now - dt.timedelta(days=8)
    )
    for days_ago in range(7, 0, -1):
        day = (now - dt.timedelta(days=days_ago)).replace(hour=9, minute=10)
        CheckinFactory(
            client=maya,
            due_at=day.replace(minute=0),
            completed_at=day,
            mood=5,
            closeness=5,
            felt_security=5,
        )
    saved = CheckinSchedule.objects.get(pk=schedule.pk)
    checkins.set_schedule(
        maya,
        by=maya.user,
        cadence="daily",
        weekdays=[],
        times=["20:00"],
        remind=False,
        active=True,
        version=saved.version,
    )
    assert checkins.missed_slots(maya, now) == []
