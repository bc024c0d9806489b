"""Check-in slots in the client's own time zone (hand-built calendars)."""

import datetime as dt

from securebase.plan.checkins.rules import (
    Schedule,
    is_late,
    missed,
    next_slot,
    slot_for,
    slots,
    streak,
)

UTC = dt.UTC


def at(*args):
    return dt.datetime(*args, tzinfo=UTC)


def test_daily_slots_follow_the_clients_clock_across_daylight_saving():
    # Madrid moves from UTC+1 to UTC+2 on Sunday 29 March 2026.
    schedule = Schedule("daily", times=("20:00",), time_zone="Europe/Madrid")
    found = slots(schedule, at(2026, 3, 28), at(2026, 3, 30))
    assert found == [at(2026, 3, 28, 19), at(2026, 3, 29, 18)]


def test_weekly_schedule_has_one_slot_a_week_on_its_day():
    schedule = Schedule("weekly", weekdays=(2,), times=("09:00",))  # Wednesdays
    found = slots(schedule, at(2026, 11, 1), at(2026, 11, 29))
    assert [s.date() for s in found] == [
        dt.date(2026, 11, 4),
        dt.date(2026, 11, 11),
        dt.date(2026, 11, 18),
        dt.date(2026, 11, 25),
    ]


def test_custom_schedule_uses_the_chosen_days_and_every_time():
    schedule = Schedule("custom", weekdays=(0, 4), times=("20:00", "08:00"))
    found = slots(schedule, at(2026, 11, 23), at(2026, 11, 28))  # Monday to Friday
    assert found == [
        at(2026, 11, 23, 8),
        at(2026, 11, 23, 20),
        at(2026, 11, 27, 8),
        at(2026, 11, 27, 20),
    ]


def test_custom_schedule_without_days_has_no_slots():
    assert slots(Schedule("custom"), at(2026, 11, 1), at(2026, 12, 1)) == []


def test_schedule_starts_on_its_first_day():
    schedule = Schedule("daily", times=("10:00",), starts_on=dt.date(2026, 11, 20))
    assert slots(schedule, at(2026, 11, 18), at(2026, 11, 21))[0] == at(2026, 11, 20, 10)


def test_a_check_in_shortly_before_its_time_answers_that_slot():
    schedule = Schedule("daily", times=("19:00",))
    assert slot_for(schedule, at(2026, 11, 29, 17, 30)) == at(2026, 11, 29, 19)


def test_a_check_in_the_evening_after_a_morning_slot_answers_the_morning_slot():
    schedule = Schedule("daily", times=("09:00",))
    assert slot_for(schedule, at(2026, 11, 29, 20)) == at(2026, 11, 29, 9)


def test_between_slots_a_check_in_answers_none():
    schedule = Schedule("weekly", weekdays=(0,), times=("09:00",))
    assert slot_for(schedule, at(2026, 11, 26, 12)) is None  # a Thursday


def test_late_means_after_the_on_time_window():
    slot = at(2026, 11, 28, 19)
    assert not is_late(slot, at(2026, 11, 29, 6, 59))
    assert is_late(slot, at(2026, 11, 29, 7, 1))


def test_missed_slots_are_those_past_their_window_without_a_check_in():
    schedule = Schedule("daily", times=("19:00",))
    answered = [at(2026, 11, 26, 19)]
    # 28 November's slot may still be answered on time until 07:00 on the 29th.
    assert missed(schedule, answered, at(2026, 11, 29, 6), since=at(2026, 11, 25, 20)) == [
        at(2026, 11, 27, 19),
    ]
    assert missed(schedule, answered, at(2026, 11, 29, 7, 30), since=at(2026, 11, 25, 20)) == [
        at(2026, 11, 27, 19),
        at(2026, 11, 28, 19),
    ]


def test_next_slot_is_the_first_after_now():
    schedule = Schedule("custom", weekdays=(4,), times=("18:00",))
    assert next_slot(schedule, at(2026, 11, 29, 12)) == at(2026, 12, 4, 18)


def test_streak_counts_days_in_a_row_and_forgives_today_not_yet_done():
    today = dt.date(2026, 11, 29)
    days = {dt.date(2026, 11, 26), dt.date(2026, 11, 27), dt.date(2026, 11, 28)}
    assert streak(days, today) == 3
    assert streak(days | {today}, today) == 4
    assert streak({dt.date(2026, 11, 20)}, today) == 0


def test_no_slot_before_the_schedule_took_effect():
    schedule = Schedule("daily", times=("20:00",), effective_from=at(2026, 11, 25, 10))
    found = slots(schedule, at(2026, 11, 23), at(2026, 11, 27))
    assert found == [at(2026, 11, 25, 20), at(2026, 11, 26, 20)]
