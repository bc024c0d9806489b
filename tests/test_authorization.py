"""Every view and endpoint that takes a client id, tried by everyone who must not see it."""

import pytest

from securebase.accounts import tokens
from securebase.care import domain
from securebase.care.models import Client
from tests.conftest import sign_in
from tests.factories import CareTeamMemberFactory, make_clinician, make_practice

CLIENT_PAGES = [
    ("get", "/clients/{id}/"),
    ("get", "/clients/{id}/edit/"),
    ("post", "/clients/{id}/edit/"),
    ("post", "/clients/{id}/invite/"),
    ("post", "/clients/{id}/care-team/"),
    ("post", "/clients/{id}/care-team/{alex_id}/remove/"),
    ("post", "/clients/{id}/partner/"),
    ("get", "/clients/{id}/measures/"),
    ("post", "/clients/{id}/measures/"),
    ("get", "/clients/{id}/measures/paper/?key=phq9"),
    ("post", "/clients/{id}/measures/paper/"),
    ("get", "/clients/{id}/history/"),
    ("get", "/clients/{id}/history/edit/"),
    ("post", "/clients/{id}/history/edit/"),
    ("get", "/clients/{id}/history/versions/"),
    ("get", "/clients/{id}/moments/"),
    ("get", "/clients/{id}/people/"),
    ("get", "/clients/{id}/learn/"),
    ("post", "/clients/{id}/learn/"),
    ("get", "/clients/{id}/learn/attachment-patterns/"),
]
API_ENDPOINTS = [("get", "/api/v1/clients/{id}")]


@pytest.fixture
def outsiders(sam, priya, practice):
    other_practice = make_practice("Elsewhere")
    stranger = make_clinician(other_practice, "stranger@example.org")
    return {
        "colleague without access": sam,
        "another client": priya.user,
        "clinician of another practice": stranger,
    }


def _url(template, client, alex):
    return template.format(id=client.pk, alex_id=alex.pk)


@pytest.mark.parametrize(("method", "template"), CLIENT_PAGES)
def test_client_pages_answer_404_to_everyone_outside_the_care_team(
    method, template, outsiders, maya, alex
):
    for who, user in outsiders.items():
        response = getattr(sign_in(user), method)(_url(template, maya, alex))
        assert response.status_code == 404, f"{who} got {response.status_code}"


@pytest.mark.parametrize(("method", "template"), CLIENT_PAGES)
def test_client_pages_send_anonymous_people_to_sign_in(method, template, client, maya, alex):
    response = getattr(client, method)(_url(template, maya, alex))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("method", "template"), CLIENT_PAGES)
def test_unknown_client_ids_answer_404(method, template, as_alex, alex, maya):
    for bad in ("00000000-0000-0000-0000-000000000000", "not-a-uuid"):
        response = getattr(as_alex, method)(template.format(id=bad, alex_id=alex.pk))
        assert response.status_code == 404


@pytest.mark.parametrize(("method", "template"), API_ENDPOINTS)
def test_api_answers_404_to_everyone_outside_the_care_team(
    method, template, outsiders, maya, alex, client
):
    for who, user in outsiders.items():
        _token, secret = tokens.create_token(user, name="t")
        response = getattr(client, method)(
            _url(template, maya, alex), headers={"Authorization": f"Bearer {secret}"}
        )
        assert response.status_code == 404, f"{who} got {response.status_code}"
        assert response.json() == {"detail": "Not found."}
    assert getattr(client, method)(_url(template, maya, alex)).status_code == 401


def test_the_treating_clinician_is_let_in(as_alex, maya, alex):
    for method, template in [CLIENT_PAGES[0], CLIENT_PAGES[1], CLIENT_PAGES[7], CLIENT_PAGES[9]]:
        assert getattr(as_alex, method)(_url(template, maya, alex)).status_code == 200


def test_a_clinician_without_mfa_sees_no_client(practice, maya, alex):
    newcomer = make_clinician(practice, "new@example.org", mfa=False)
    CareTeamMemberFactory(client=maya, clinician=newcomer)
    assert list(Client.objects.visible_to(newcomer)) == []
    response = sign_in(newcomer).get(f"/clients/{maya.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_a_practice_admin_sees_no_client_data(as_robin, maya):
    assert as_robin.get(f"/clients/{maya.pk}/").status_code == 404
    assert as_robin.get("/caseload/").status_code == 404


def test_a_client_sees_only_their_own_record(maya, priya):
    assert list(Client.objects.visible_to(maya.user)) == [maya]


def test_a_clinician_removed_from_the_care_team_loses_access(as_sam, sam, maya, alex):
    domain.add_to_care_team(by=alex, client=maya, clinician=sam)
    assert as_sam.get(f"/clients/{maya.pk}/").status_code == 200
    domain.remove_from_care_team(by=alex, client=maya, clinician=sam)
    assert as_sam.get(f"/clients/{maya.pk}/").status_code == 404
