"""The alerts API: the caller's care teams' open alerts, and acknowledging one with a note."""

import datetime as dt
import uuid

import pytest

from securebase.audit.models import AuditEvent
from securebase.safety.flags import domain as flags
from securebase.safety.models import Alert
from tests.factories import CareTeamMemberFactory, bearer, raise_flag

pytestmark = pytest.mark.django_db


def _ack(web, user, alert, body, scope="write"):
    return web.post(
        f"/api/v1/alerts/{alert.pk}/acknowledge",
        body,
        content_type="application/json",
        headers=bearer(user, scope),
    )


def test_the_list_holds_the_open_alerts_of_the_callers_care_teams(client, alex, maya, priya):
    shared = raise_flag(maya, detail={"answer": 1})
    raise_flag(priya)
    closed = raise_flag(maya, Alert.Kind.RISK_WORDS, "moment")
    flags.acknowledge(closed, by=alex, note="Seen")

    response = client.get("/api/v1/alerts", headers=bearer(alex))

    assert response.status_code == 200
    (body,) = response.json()
    raised_at = dt.datetime.fromisoformat(body.pop("raised_at"))
    assert abs(raised_at - shared.created_at) < dt.timedelta(milliseconds=1)
    assert body == {
        "id": str(shared.pk),
        "client": str(maya.pk),
        "kind": "risk_checkin",
        "source": {
            "type": "checkin",
            "id": str(shared.source_id),
            "shared": True,
            "description": "Safety question in a check-in: “Yes, passing thoughts”",
        },
        "reasons": [],
        "emailed_at": None,
        "acknowledged_at": None,
        "acknowledged_by": None,
        "note": None,
    }


def test_an_alert_from_a_private_entry_has_no_source_id(client, alex, maya):
    raise_flag(maya, Alert.Kind.RISK_WORDS, "journal", shared=False)

    (alert,) = client.get("/api/v1/alerts", headers=bearer(alex)).json()

    assert alert["source"] == {
        "type": "journal",
        "id": None,
        "shared": False,
        "description": "Risk words in a private journal entry — the client did not share it, "
        "so the text is not shown",
    }


def test_sam_sees_none_of_alexs_clients_alerts(client, sam, maya, priya):
    raise_flag(maya)
    theirs = raise_flag(priya)

    response = client.get("/api/v1/alerts", headers=bearer(sam))

    assert [a["id"] for a in response.json()] == [str(theirs.pk)]


@pytest.mark.parametrize("who", ["maya", "priya"])
def test_clients_get_404(client, request, who):
    person = request.getfixturevalue(who)
    alert = raise_flag(person)

    assert client.get("/api/v1/alerts", headers=bearer(person.user)).status_code == 404
    assert _ack(client, person.user, alert, {"note": "x"}).status_code == 404


def test_listing_is_audited(client, alex, maya):
    raise_flag(maya)
    client.get("/api/v1/alerts", headers=bearer(alex))

    event = AuditEvent.objects.filter(actor_id=alex.pk, object_type="alerts").latest("seq")
    assert (event.action, event.via, event.detail) == ("list", "api", {"open": 1})


def test_acknowledging_with_a_note_answers_the_closed_alert_and_is_audited_without_the_note(
    client, alex, maya
):
    alert = raise_flag(maya)

    response = _ack(client, alex, alert, {"note": "Phoned; safe with her sister tonight."})

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["acknowledged_by"], body["note"]) == (
        str(alert.pk),
        "Alex Morgan",
        "Phoned; safe with her sister tonight.",
    )
    assert body["acknowledged_at"] is not None
    alert.refresh_from_db()
    assert alert.acknowledged_by == alex
    event = AuditEvent.objects.filter(object_type="alert", object_id=str(alert.pk)).latest("seq")
    assert (event.action, event.via, event.detail) == ("update", "api", {"event": "acknowledged"})
    assert client.get("/api/v1/alerts", headers=bearer(alex)).json() == []


@pytest.mark.parametrize("body", [{"note": ""}, {"note": "   "}, {}, {"note": 3}])
def test_an_empty_or_missing_note_answers_422(client, alex, maya, body):
    alert = raise_flag(maya)

    response = _ack(client, alex, alert, body)

    assert response.status_code == 422
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_unknown_fields_are_refused(client, alex, maya):
    alert = raise_flag(maya)

    assert _ack(client, alex, alert, {"note": "ok", "seen": True}).status_code == 422


def test_a_colleague_off_the_care_team_gets_404(client, sam, maya):
    alert = raise_flag(maya)

    assert _ack(client, sam, alert, {"note": "Seen"}).status_code == 404
    assert _ack(client, sam, type(alert)(pk=uuid.uuid4()), {"note": "x"}).status_code == 404


def test_a_read_only_token_cannot_acknowledge(client, alex, maya):
    alert = raise_flag(maya)

    assert _ack(client, alex, alert, {"note": "Seen"}, scope="read").status_code == 403
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_the_same_note_again_answers_200_unchanged(client, alex, maya):
    alert = raise_flag(maya)
    first = _ack(client, alex, alert, {"note": "Seen"}).json()

    again = _ack(client, alex, alert, {"note": "Seen"})

    assert again.status_code == 200
    assert again.json() == first


def test_a_different_note_for_an_acknowledged_alert_answers_409_and_is_not_saved(
    client, alex, sam, maya
):
    CareTeamMemberFactory(client=maya, clinician=sam)
    alert = raise_flag(maya)
    _ack(client, sam, alert, {"note": "Sam saw her today."})

    response = _ack(client, alex, alert, {"note": "Alex phoned her."})

    assert response.status_code == 409
    assert "Your note was not saved." in response.json()["detail"]
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledgement) == (sam, "Sam saw her today.")


def test_the_schema_documents_both_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert set(paths["/api/v1/alerts"]) == {"get"}
    assert set(paths["/api/v1/alerts/{alert_id}/acknowledge"]) == {"post"}
