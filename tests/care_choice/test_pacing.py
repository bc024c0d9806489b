"""Gentle pacing spaces homework: at most GENTLE_WEEKLY_LIMIT items due in one week."""

import datetime as dt
import uuid

import pytest

from securebase.practise.homework import domain as homework
from securebase.practise.models import Homework
from tests.factories import bearer

MONDAY = dt.date(2026, 11, 30)


@pytest.fixture
def gentle_maya(maya):
    maya.pacing = "gentle"
    maya.save()
    return maya


def _assign(client, clinician, due_on, schedule="once", key=None):
    data = {"kind": "pause", "due_on": due_on, "schedule": schedule}
    return homework.assign(client, by=clinician, data=data, submission_id=key)


def test_the_limit_is_two_items_a_week():
    assert homework.GENTLE_WEEKLY_LIMIT == 2


def test_a_gentle_client_gets_at_most_two_items_due_in_one_week(alex, gentle_maya):
    _assign(gentle_maya, alex, MONDAY)
    _assign(gentle_maya, alex, MONDAY + dt.timedelta(days=6))  # Sunday, same week
    with pytest.raises(homework.HomeworkError) as refused:
        _assign(gentle_maya, alex, MONDAY + dt.timedelta(days=3))
    assert refused.value.field == "due_on"
    assert str(refused.value).startswith(
        "This client chose gentle pacing: at most 2 homework items are due in one week"
    )
    assert Homework.objects.filter(client=gentle_maya).count() == 2


def test_another_week_still_has_room(alex, gentle_maya):
    _assign(gentle_maya, alex, MONDAY)
    _assign(gentle_maya, alex, MONDAY)
    _assign(gentle_maya, alex, MONDAY + dt.timedelta(days=7))
    assert Homework.objects.filter(client=gentle_maya).count() == 3


def test_done_or_stopped_items_make_room_again(alex, gentle_maya):
    first, _ = _assign(gentle_maya, alex, MONDAY)
    second, _ = _assign(gentle_maya, alex, MONDAY)
    homework.mark_done(first, by=gentle_maya.user)
    homework.stop(second, by=alex)
    _assign(gentle_maya, alex, MONDAY)
    _assign(gentle_maya, alex, MONDAY)
    assert homework.pacing_room(gentle_maya, MONDAY) == 0


def test_repeating_homework_counts_in_every_week_after_it_starts(alex, gentle_maya):
    _assign(gentle_maya, alex, MONDAY, schedule="weekly")
    _assign(gentle_maya, alex, MONDAY, schedule="daily")
    with pytest.raises(homework.HomeworkError):
        _assign(gentle_maya, alex, MONDAY + dt.timedelta(days=21))
    assert homework.pacing_room(gentle_maya, MONDAY - dt.timedelta(days=7)) == 2


def test_standard_pacing_has_no_weekly_limit(alex, maya):
    for _ in range(4):
        _assign(maya, alex, MONDAY)
    assert homework.pacing_room(maya, MONDAY) is None
    assert Homework.objects.filter(client=maya).count() == 4


def test_a_retried_assignment_returns_the_first_even_when_the_week_is_full(alex, gentle_maya):
    key = uuid.uuid4()
    first, created = _assign(gentle_maya, alex, MONDAY, key=key)
    _assign(gentle_maya, alex, MONDAY)
    again, created_again = _assign(gentle_maya, alex, MONDAY, key=key)
    assert (again.pk, created, created_again) == (first.pk, True, False)


def test_the_clinician_sees_the_notice_and_a_clear_refusal_on_the_form(as_alex, alex, gentle_maya):
    url = f"/clients/{gentle_maya.pk}/homework/"
    page = as_alex.get(url).content.decode()
    assert "chose gentle pacing: homework is spaced out, with at most 2 items due" in page
    _assign(gentle_maya, alex, MONDAY)
    _assign(gentle_maya, alex, MONDAY)
    response = as_alex.post(
        url,
        {
            "kind": "pause",
            "due_on": MONDAY.isoformat(),
            "schedule": "once",
            "submission_id": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 400
    assert "at most 2 homework items are due in one week" in response.content.decode()


def test_no_notice_for_standard_pacing(as_alex, maya):
    page = as_alex.get(f"/clients/{maya.pk}/homework/").content.decode()
    assert "gentle pacing" not in page


def test_the_api_refuses_a_third_item_in_a_full_week_with_422(client, alex, gentle_maya):
    _assign(gentle_maya, alex, MONDAY)
    _assign(gentle_maya, alex, MONDAY)
    response = client.post(
        f"/api/v1/clients/{gentle_maya.pk}/homework",
        {"kind": "pause", "due_on": MONDAY.isoformat()},
        content_type="application/json",
        headers={**bearer(alex, "write"), "Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 422
    assert "gentle pacing" in response.json()["detail"]
