"""Strict input at the API's edge, the same on SQLite and PostgreSQL: control characters, JSON types,
time zones, implausible dates and oversized bodies are refused with a message naming the field,
and nothing is stored."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from securebase.understand.models import Moment
from tests.factories import bearer


@pytest.fixture
def post(client, maya):
    def send(path, body, **extra):
        headers = {**bearer(maya.user, "write"), "Idempotency-Key": str(uuid.uuid4())}
        return client.post(
            f"/api/v1/clients/{maya.pk}/{path}",
            body,
            content_type="application/json",
            headers=headers,
            **extra,
        )

    return send


def _moment(**fields):
    happened = (timezone.now() - dt.timedelta(hours=2)).isoformat()
    return {"occurred_at": happened, "kind": "threat", **fields}


def _refused(response, field):
    assert response.status_code == 422, response.content
    body = response.json()
    assert [e["field"] for e in body["errors"]] == [field]
    assert body["detail"].startswith(f"Invalid input: {field}: ")
    return body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("text", "shown"),
    [("before\x00after", "U+0000"), ("bell\x07", "U+0007"), ("half \ud800", "U+D800")],
)
def test_a_control_character_in_any_text_is_refused_naming_the_field(post, text, shown):
    message = _refused(post("moments", _moment(situation=text)), "situation")

    assert message == f"Control characters are not allowed (found {shown})."
    assert not Moment.objects.exists()


def test_a_control_character_inside_a_nested_object_names_the_outer_field(post):
    response = post("moments", _moment(emotions=[{"name": "sad\x00", "intensity": 4}]))

    _refused(response, "emotions")


def test_tabs_and_line_breaks_are_text(post):
    response = post("moments", _moment(situation="First line\r\n\tindented"))

    assert response.status_code == 201, response.content
    assert Moment.objects.get().situation == "First line\r\n\tindented"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("intensity_before", "50", "Must be a whole number, not text or a fraction."),
        ("intensity_before", 5.5, "Must be a whole number, not text or a fraction."),
        ("intensity_before", True, "Must be a whole number, not text or a fraction."),
        ("shared", "true", "Must be true or false."),
        ("shared", 1, "Must be true or false."),
    ],
)
def test_numbers_and_booleans_must_be_json_numbers_and_booleans(post, field, value, message):
    body = {"emotion": "anxious", "intensity_before": 6, field: value}

    assert _refused(post("pauses", body), field) == message


def test_a_date_time_without_a_time_zone_is_refused(post):
    naive = (timezone.now() - dt.timedelta(hours=2)).replace(tzinfo=None).isoformat()

    message = _refused(post("moments", _moment(occurred_at=naive)), "occurred_at")

    assert message.startswith("Add a time zone")


@pytest.mark.parametrize("year", [1970, 2099])
def test_an_implausible_date_is_refused(post, year):
    latest = timezone.now().year + 5
    when = timezone.now().replace(year=year).isoformat()

    message = _refused(post("moments", _moment(occurred_at=when)), "occurred_at")

    assert message == f"Must be a date between 2000 and {latest}."


def test_a_body_over_the_limit_answers_413_in_json(post, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = post("moments", _moment(situation="x" * 20_000))

    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "The request body is larger than 10000 bytes."}
    assert not Moment.objects.exists()
