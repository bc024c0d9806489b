import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from securebase.audit.models import AuditEvent
from securebase.care import domain
from securebase.care.models import Client, Invitation
from tests import factories
from tests.factories import PauseFactory


def test_caseload_query_count_stays_constant_as_clients_grow(
    as_alex, alex, django_assert_num_queries
):
    factories.make_client(alex)
    as_alex.get("/caseload/")  # the first visit also starts this person's audit chain
    with django_assert_num_queries(12):
        as_alex.get("/caseload/")
    for _ in range(8):
        factories.make_client(alex)
    with django_assert_num_queries(12):
        response = as_alex.get("/caseload/")
    assert len(response.context["clients"]) == 9


def test_new_client_form_keeps_what_was_typed_when_invalid(as_alex):
    response = as_alex.get("/clients/new/")
    submission_id = response.context["form"].initial["submission_id"]
    response = as_alex.post(
        "/clients/new/",
        {
            "name": "Noor Haddad",
            "email": "not an email",
            "language": "en",
            "country": "IE",
            "referral_reason": "Fear of being left",
            "submission_id": submission_id,
        },
    )
    assert response.status_code == 200
    html = response.text
    assert 'value="Noor Haddad"' in html
    assert "Fear of being left" in html
    assert "Enter a valid email address." in html
    assert str(submission_id) in html


def test_sending_the_new_client_form_twice_creates_one_client(as_alex):
    data = {
        "name": "Noor Haddad",
        "email": "noor@example.org",
        "language": "en",
        "country": "IE",
        "referral_reason": "",
        "preferred_name": "",
        "submission_id": str(uuid.uuid4()),
    }
    first = as_alex.post("/clients/new/", data)
    second = as_alex.post("/clients/new/", data)
    assert first["Location"] == second["Location"]
    assert Client.objects.with_email(None, "noor@example.org").count() == 1


def _edit_data(client, **changes):
    data = {
        "name": client.name,
        "preferred_name": client.preferred_name,
        "email": client.email,
        "language": client.language,
        "country": client.country or "GB",
        "referral_reason": client.referral_reason,
        "version": client.version,
    }
    return {**data, **changes}


def test_a_stale_edit_is_refused_and_shows_the_other_version(as_alex, as_sam, sam, alex, maya):
    domain.add_to_care_team(by=alex, client=maya, clinician=sam)
    stale_form = _edit_data(maya, preferred_name="Mai")
    as_sam.post(f"/clients/{maya.pk}/edit/", _edit_data(maya, preferred_name="May"))

    response = as_alex.post(f"/clients/{maya.pk}/edit/", stale_form)
    assert response.status_code == 200
    assert "Someone else saved this record" in response.text
    assert 'value="Mai"' in response.text  # what Alex typed is still in the form
    assert "May" in response.text  # and Sam's version is shown beside it
    maya.refresh_from_db()
    assert maya.preferred_name == "May"


def test_an_edit_from_the_current_version_saves(as_alex, maya):
    response = as_alex.post(f"/clients/{maya.pk}/edit/", _edit_data(maya, preferred_name="Mai"))
    assert response.status_code == 302
    maya.refresh_from_db()
    assert (maya.preferred_name, maya.version) == ("Mai", 2)


def _invite(as_alex, client):
    as_alex.post(f"/clients/{client.pk}/invite/")
    body = mail.outbox[-1].body
    return next(line.strip() for line in body.splitlines() if "/invitation/" in line)


def _accept(web, url, **overrides):
    path = url.split("8000", 1)[-1] if "8000" in url else url
    data = {
        "password1": "a calm harbour at dawn",
        "password2": "a calm harbour at dawn",
        "language": "es",
        "shares_by_default": "0",
        **overrides,
    }
    return web.post(path, data)


def test_an_invited_client_sets_a_password_and_lands_home(as_alex, alex, client):
    newcomer = factories.make_client(alex, name="Noor Haddad", email="noor@example.org")
    url = _invite(as_alex, newcomer)
    assert mail.outbox[-1].to == ["noor@example.org"]

    response = _accept(client, url)
    assert response.status_code == 302
    assert response["Location"] == "/home/"
    newcomer.refresh_from_db()
    assert newcomer.user.email == "noor@example.org"
    assert (newcomer.language, newcomer.shares_by_default) == ("es", False)
    assert client.get("/home/").status_code == 200


def test_an_invitation_link_works_only_once(as_alex, alex, client):
    newcomer = factories.make_client(alex, email="noor@example.org")
    url = _invite(as_alex, newcomer)
    _accept(client, url)
    client.logout()
    response = _accept(client, url)
    assert response.status_code == 404
    assert "not valid any more" in response.text


def test_an_invitation_expires_after_seven_days(as_alex, alex, client):
    newcomer = factories.make_client(alex, email="noor@example.org")
    url = _invite(as_alex, newcomer)
    invitation = Invitation.objects.get(client=newcomer)
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    assert _accept(client, url).status_code == 404


def test_a_new_invitation_cancels_the_previous_link(as_alex, alex, client):
    newcomer = factories.make_client(alex, email="noor@example.org")
    old_url = _invite(as_alex, newcomer)
    _invite(as_alex, newcomer)
    assert _accept(client, old_url).status_code == 404


def test_mismatched_passwords_keep_the_other_choices(as_alex, alex, client):
    newcomer = factories.make_client(alex, email="noor@example.org")
    url = _invite(as_alex, newcomer)
    response = _accept(client, url, password2="something else", shares_by_default="1")
    assert response.status_code == 200
    assert "The two passwords differ" in response.text
    assert response.context["form"]["shares_by_default"].value() == "1"


def test_the_client_changes_what_they_share_by_default(as_maya, maya):
    response = as_maya.post(
        "/home/choices/", {"language": "en", "shares_by_default": "1", "pacing": "standard"}
    )
    assert response.status_code == 302
    maya.refresh_from_db()
    assert maya.shares_by_default is True


@pytest.mark.parametrize("path", ["/caseload/", "/clients/new/"])
def test_clients_cannot_open_clinician_pages(as_maya, path):
    assert as_maya.get(path).status_code == 404


def test_linking_a_couple_links_both_sides(couple):
    jordan, casey = couple
    assert (jordan.partner_id, casey.partner_id) == (casey.pk, jordan.pk)


def test_the_invitation_page_speaks_the_clients_language(as_alex, alex, client):
    newcomer = factories.make_client(alex, email="noor@example.org")
    type(newcomer).objects.filter(pk=newcomer.pk).update(language="es")
    url = _invite(as_alex, newcomer)
    response = client.get(url.split("8000", 1)[-1] if "8000" in url else url)
    assert response["Content-Language"] == "es"


def test_the_client_sets_their_own_words_pacing_and_topics_for_sessions(as_maya, as_alex, maya):
    response = as_maya.post(
        "/home/choices/",
        {
            "language": "en",
            "shares_by_default": "0",
            "pacing": "gentle",
            "term_partner": "my person",
            "term_mother": "",
            "in_session_only": "My father's illness",
        },
    )
    assert response.status_code == 302
    maya.refresh_from_db()
    assert (maya.pacing, maya.preferred_terms) == ("gentle", {"partner": "my person"})
    assert "My father&#x27;s illness" in as_alex.get(f"/clients/{maya.pk}/").text
    event = AuditEvent.objects.filter(object_type="client_preferences").latest("id")
    assert "my person" not in str(event.detail) and "illness" not in str(event.detail)


def test_the_clients_own_word_appears_in_the_reading(as_maya, maya):
    maya.preferred_terms = {"partner": "person"}
    maya.save()
    page = as_maya.get("/learn/attachment-patterns/")
    assert "your person is slow to reply" in page.text


def test_the_client_home_shows_recent_practice(as_maya, maya):

    PauseFactory(client=maya, emotion="anxious", intensity_before=8, intensity_after=5)
    page = as_maya.get("/home/")
    assert page.status_code == 200
    assert "8 → 5/10" in page.text
