"""The alerts page: the care team's open alerts in words, acknowledging each with a note (audited,
without the note), who may see what, and a query count that does not grow with the alerts."""

import uuid

import pytest

from securebase.audit.models import AuditEvent
from securebase.care.models import CareTeamMember, Client
from securebase.safety.flags import domain as flags
from securebase.safety.models import Alert
from tests.conftest import sign_in
from tests.factories import CareTeamMemberFactory, JournalEntryFactory, raise_flag

SECRET = "I keep thinking I want to end my life, nobody knows"


@pytest.fixture
def private_words(maya):
    """Risk words in a journal entry Maya kept to herself."""
    entry = JournalEntryFactory(client=maya, text=SECRET, shared=False)
    return flags.check_text(
        maya, texts=[entry.text], source_type="journal", source_id=entry.pk, shared=False
    )


# --- the list --------------------------------------------------------------------------------------


def test_the_page_lists_open_alerts_with_the_client_what_raised_them_and_when(
    as_alex, maya, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the email goes after commit
        raise_flag(maya, detail={"answer": 1})
    page = as_alex.get("/alerts/")

    assert page.status_code == 200
    assert [row.client.pk for row in page.context["open_rows"]] == [maya.pk]
    assert "Safety question in a check-in: “Yes, passing thoughts”" in page.text
    assert f'href="/clients/{maya.pk}/"' in page.text
    assert "emailed to the care team at" in page.text


def test_an_alert_from_a_private_entry_says_where_it_came_from_but_never_the_words(
    as_alex, maya, private_words
):
    page = as_alex.get("/alerts/")

    assert private_words is not None
    assert "Risk words in a private journal entry" in page.text
    assert "end my life" not in page.text
    assert "nobody knows" not in page.text
    assert f"/clients/{maya.pk}/journal/" not in page.text


def test_sam_sees_none_of_alexs_clients_alerts(as_sam, maya, priya):
    raise_flag(maya)
    theirs = raise_flag(priya)

    page = as_sam.get("/alerts/")

    assert [row.alert.pk for row in page.context["open_rows"]] == [theirs.pk]
    assert "Maya Okafor" not in page.text


@pytest.mark.parametrize("who", ["maya", "priya"])
def test_clients_get_404_on_the_alerts_pages(who, request, maya, priya):
    alert = raise_flag(maya)
    person = request.getfixturevalue(who).user
    web = sign_in(person)
    assert web.get("/alerts/").status_code == 404
    assert web.get(f"/alerts/{alert.pk}/").status_code == 404
    assert web.post(f"/alerts/{alert.pk}/acknowledge/", {"note": "x"}).status_code == 404
    assert web.get("/risk-rules/").status_code == 404


def test_a_colleague_off_the_care_team_gets_404_for_the_alert(as_sam, maya):
    alert = raise_flag(maya)

    assert as_sam.get(f"/alerts/{alert.pk}/").status_code == 404
    assert as_sam.post(f"/alerts/{alert.pk}/acknowledge/", {"note": "Seen"}).status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


@pytest.mark.parametrize("alert_id", ["nope", "1f0c9d3e-5b7a-4c2e-9d8f-6a5b4c3d2e1f"])
def test_an_unknown_alert_is_404(as_alex, alert_id):
    assert as_alex.get(f"/alerts/{alert_id}/").status_code == 404


def test_reading_the_alerts_is_audited(as_alex, alex, maya):
    raise_flag(maya)
    as_alex.get("/alerts/")

    event = AuditEvent.objects.filter(actor_id=alex.pk, object_type="alerts").latest("seq")
    assert (event.action, event.detail) == ("list", {"open": 1, "acknowledged": 0})


def test_the_page_links_to_the_rules(as_alex):
    assert 'href="/risk-rules/"' in as_alex.get("/alerts/").text


# --- acknowledging ---------------------------------------------------------------------------------


def test_acknowledging_with_a_note_closes_the_alert_and_is_audited_without_the_note(
    as_alex, alex, maya
):
    alert = raise_flag(maya)
    note = "Phoned Maya: safe tonight, sister staying over; session brought forward."

    response = as_alex.post(f"/alerts/{alert.pk}/acknowledge/", {"note": note})

    assert response.status_code == 302
    assert response["Location"] == "/alerts/"
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledgement) == (alex, note)
    event = AuditEvent.objects.filter(object_type="alert", object_id=str(alert.pk)).latest("seq")
    assert (event.actor_id, event.action, event.detail) == (
        alex.pk,
        "update",
        {"event": "acknowledged"},
    )
    assert "sister" not in str(AuditEvent.objects.filter(client_id=maya.pk).values("detail"))
    page = as_alex.get("/alerts/")
    assert page.context["open_rows"] == []
    assert [row.alert.pk for row in page.context["acknowledged"]] == [alert.pk]
    assert note in page.text
    assert "acknowledged by Alex Morgan" in page.text


@pytest.mark.parametrize("note", ["", "   \n "])
def test_an_alert_is_not_acknowledged_without_a_note(as_alex, maya, note):
    alert = raise_flag(maya)

    response = as_alex.post(f"/alerts/{alert.pk}/acknowledge/", {"note": note})

    assert response.status_code == 400
    assert "Write a short note on what you did or decided." in response.text
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_a_note_refused_for_its_length_is_shown_back_as_typed(as_alex, maya):
    alert = raise_flag(maya)
    typed = "Called her. " * 200  # 2,400 characters, over the limit

    response = as_alex.post(f"/alerts/{alert.pk}/acknowledge/", {"note": typed})

    assert response.status_code == 400
    assert response.context["form"]["note"].value() == typed
    assert typed.strip() in response.text
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_an_alert_someone_else_closed_refuses_a_second_note_and_shows_it_back(as_alex, sam, maya):
    CareTeamMemberFactory(client=maya, clinician=sam)
    alert = raise_flag(maya)
    flags.acknowledge(alert, by=sam, note="Sam saw her today.")

    response = as_alex.post(f"/alerts/{alert.pk}/acknowledge/", {"note": "Alex phoned her."})

    assert response.status_code == 409
    assert "Sam Whitfield acknowledged this alert" in response.text
    assert "Alex phoned her." in response.text
    alert.refresh_from_db()
    assert alert.acknowledgement == "Sam saw her today."


def test_sending_the_same_note_twice_is_a_harmless_retry(as_alex, maya):
    alert = raise_flag(maya)
    as_alex.post(f"/alerts/{alert.pk}/acknowledge/", {"note": "Seen; safe."})

    again = as_alex.post(f"/alerts/{alert.pk}/acknowledge/", {"note": "Seen; safe."})

    assert again.status_code == 302


def test_acknowledging_returns_to_a_page_of_ours_only(as_alex, maya):
    first, second = raise_flag(maya), raise_flag(maya)
    back = f"/clients/{maya.pk}/brief/"

    ours = as_alex.post(f"/alerts/{first.pk}/acknowledge/", {"note": "ok", "next": back})
    theirs = as_alex.post(
        f"/alerts/{second.pk}/acknowledge/", {"note": "ok", "next": "https://evil.example/"}
    )

    assert (ours["Location"], theirs["Location"]) == (back, "/alerts/")


def test_the_old_mark_as_seen_address_now_asks_for_a_note_too(as_alex, alex, maya):
    alert = raise_flag(maya)
    url = f"/clients/{maya.pk}/alerts/{alert.pk}/seen/"

    assert as_alex.get(url)["Location"] == f"/alerts/{alert.pk}/"
    assert as_alex.post(url).status_code == 400
    done = as_alex.post(url, {"note": "Discussed in supervision."})
    assert done["Location"] == f"/clients/{maya.pk}/measures/"
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledgement) == (alex, "Discussed in supervision.")


def test_the_old_address_is_404_for_a_colleague_off_the_care_team(as_sam, maya):
    alert = raise_flag(maya)

    assert as_sam.post(
        f"/clients/{maya.pk}/alerts/{alert.pk}/seen/", {"note": "x"}
    ).status_code == (404)


def test_one_alert_shows_its_acknowledgement_once_closed(as_alex, alex, maya):
    alert = raise_flag(maya)
    flags.acknowledge(alert, by=alex, note="Safety plan reviewed together.")

    page = as_alex.get(f"/alerts/{alert.pk}/")

    assert "Acknowledged by Alex Morgan" in page.text
    assert "Safety plan reviewed together." in page.text
    assert 'name="note"' not in page.text


# --- constant queries ------------------------------------------------------------------------------


def _many(alex, clients: int, alerts_each: int):
    practice = alex.memberships.get().practice
    made = Client.objects.bulk_create(
        Client(practice=practice, name=f"Bulk {n:02d}", email=f"bulk{n}@example.org")
        for n in range(clients)
    )
    CareTeamMember.objects.bulk_create(CareTeamMember(client=c, clinician=alex) for c in made)
    kinds = [Alert.Kind.RISK_ITEM, Alert.Kind.RISK_CHECKIN, Alert.Kind.RISK_WORDS, "booster"]
    Alert.objects.bulk_create(
        Alert(
            client=c,
            kind=kinds[n % 4],
            source_type=["administration", "checkin", "journal", "tapering"][n % 4],
            source_id=uuid.uuid4(),
            source_shared=bool(n % 3),
            detail={"instrument": "phq9", "flags": ["risk:item9"]} if n % 4 == 0 else {},
        )
        for c in made
        for n in range(alerts_each)
    )
    for alert in Alert.objects.filter(client__in=made)[: clients * alerts_each // 2]:
        flags.acknowledge(alert, by=alex, note="Seen and followed up.")


def test_the_page_keeps_the_same_query_count_from_a_few_alerts_to_many(
    as_alex, alex, django_assert_num_queries
):
    _many(alex, clients=2, alerts_each=2)
    as_alex.get("/alerts/")  # the first visit also starts this person's audit chain
    with django_assert_num_queries(11):
        response = as_alex.get("/alerts/")
    assert len(response.context["open_rows"]) == 2

    _many(alex, clients=30, alerts_each=8)
    with django_assert_num_queries(11):
        response = as_alex.get("/alerts/")
    assert len(response.context["open_rows"]) > 100
    assert len(response.context["acknowledged"]) == 20
