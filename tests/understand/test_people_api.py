"""The relationship map through the API: the client writes; the care team reads what is shared."""

import uuid

import pytest

from securebase.audit.models import AuditEvent
from securebase.understand.models import Person
from securebase.understand.people import domain as people
from tests.factories import bearer

PERSON = {"name": "Sam", "term": "partner", "circle": "inner"}
RATED = {"reassurance": 3, "criticism": 1, "withdrawal": 2, "reliability": 4}


def _post(client, user, body=PERSON, key=None, scope="write", who=None):
    headers = {**bearer(user, scope), "Idempotency-Key": key or str(uuid.uuid4())}
    target = who or user.client_record
    return client.post(
        f"/api/v1/clients/{target.pk}/people",
        body,
        content_type="application/json",
        headers=headers,
    )


def _rate(client, user, person_id, body=RATED, key=None):
    headers = {**bearer(user, "write"), "Idempotency-Key": key or str(uuid.uuid4())}
    return client.post(
        f"/api/v1/people/{person_id}/ratings",
        body,
        content_type="application/json",
        headers=headers,
    )


def _add(maya, name, shared):
    person, _ = people.add_person(
        client=maya,
        by=maya.user,
        data={"name": name, "circle": "middle", "shared": shared},
        ratings=RATED,
    )
    return person


def test_a_client_adds_a_person_and_a_replay_answers_with_the_same_id(client, maya):
    key = str(uuid.uuid4())
    first = _post(client, maya.user, body={**PERSON, "ratings": RATED}, key=key)
    again = _post(client, maya.user, body={**PERSON, "ratings": RATED}, key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    body = first.json()
    assert (body["name"], body["term"], body["circle"], body["shared"]) == (
        "Sam",
        "partner",
        "inner",
        False,
    )
    assert [{k: r[k] for k in RATED} for r in body["ratings"]] == [RATED]
    assert body["since_first"] is None
    assert Person.objects.filter(client=maya).count() == 1


def test_shared_defaults_to_the_clients_preference(client, maya):
    maya.shares_by_default = True
    maya.save()
    assert _post(client, maya.user).json()["shared"] is True
    assert _post(client, maya.user, body={**PERSON, "shared": False}).json()["shared"] is False


def test_the_same_key_with_other_details_is_refused(client, maya):
    key = str(uuid.uuid4())
    _post(client, maya.user, key=key)
    response = _post(client, maya.user, body={**PERSON, "name": "Jo"}, key=key)
    assert response.status_code == 422
    assert Person.objects.count() == 1


@pytest.mark.parametrize("key", ["", "not-a-uuid"])
def test_creating_needs_a_uuid_idempotency_key(client, maya, key):
    headers = {**bearer(maya.user, "write")}
    if key:
        headers["Idempotency-Key"] = key
    response = client.post(
        f"/api/v1/clients/{maya.pk}/people",
        PERSON,
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert not Person.objects.exists()


def test_bad_fields_are_named(client, maya):
    body = {**PERSON, "circle": "closest", "ratings": {**RATED, "criticism": 5}, "extra": 1}
    response = _post(client, maya.user, body=body)
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"circle", "ratings.criticism", "extra"} <= fields


def test_a_read_only_token_cannot_add_people(client, maya):
    assert _post(client, maya.user, scope="read").status_code == 403


def test_only_the_client_adds_people(client, alex, sam, maya, priya):
    assert _post(client, alex, who=maya).status_code == 403  # on the care team: sees, cannot write
    assert _post(client, sam, who=maya).status_code == 404
    assert _post(client, priya.user, who=maya).status_code == 404
    assert not Person.objects.filter(client=maya).exists()


def test_the_clinician_lists_and_reads_only_shared_people(client, alex, maya):
    shared = _add(maya, "Shared Sam", shared=True)
    private = _add(maya, "Private Pat", shared=False)
    listed = client.get(f"/api/v1/clients/{maya.pk}/people", headers=bearer(alex))
    assert [p["name"] for p in listed.json()] == ["Shared Sam"]
    assert client.get(f"/api/v1/people/{shared.pk}", headers=bearer(alex)).status_code == 200
    assert client.get(f"/api/v1/people/{private.pk}", headers=bearer(alex)).status_code == 404
    own = client.get(f"/api/v1/clients/{maya.pk}/people", headers=bearer(maya.user))
    assert sorted(p["name"] for p in own.json()) == ["Private Pat", "Shared Sam"]
    event = AuditEvent.objects.filter(object_type="people", actor_id=alex.pk).get()
    assert (event.action, event.client_id, event.detail) == (
        "list",
        maya.pk,
        {"count": 1, "archived": False},
    )


@pytest.mark.parametrize("who", ["sam", "priya"])
def test_outsiders_get_404_for_the_list_and_for_shared_people(client, who, request, maya):
    shared = _add(maya, "Shared Sam", shared=True)
    user = request.getfixturevalue(who)
    user = getattr(user, "user", user)
    assert client.get(f"/api/v1/clients/{maya.pk}/people", headers=bearer(user)).status_code == 404
    assert client.get(f"/api/v1/people/{shared.pk}", headers=bearer(user)).status_code == 404
    assert _rate(client, user, shared.pk).status_code == 404
    assert client.get(f"/api/v1/people/{uuid.uuid4()}", headers=bearer(user)).status_code == 404


def test_archived_people_are_listed_only_when_asked(client, maya):
    gone = _add(maya, "Ex", shared=False)
    _add(maya, "Ana", shared=False)
    people.archive_person(person=gone, by=maya.user)
    url = f"/api/v1/clients/{maya.pk}/people"
    assert [p["name"] for p in client.get(url, headers=bearer(maya.user)).json()] == ["Ana"]
    archived = client.get(url + "?archived=true", headers=bearer(maya.user)).json()
    assert [(p["name"], p["archived"]) for p in archived] == [("Ex", True)]


def test_re_rating_through_the_api_is_idempotent_and_shows_change(client, maya):
    person = _add(maya, "Sam", shared=True)
    key = str(uuid.uuid4())
    first = _rate(client, maya.user, person.pk, body={**RATED, "criticism": 3}, key=key)
    again = _rate(client, maya.user, person.pk, body={**RATED, "criticism": 3}, key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert len(again.json()["ratings"]) == 2
    assert first.json()["since_first"] == {
        "reassurance": 0,
        "criticism": 2,
        "withdrawal": 0,
        "reliability": 0,
    }
    read = client.get(f"/api/v1/people/{person.pk}", headers=bearer(maya.user)).json()
    assert read["since_first"]["criticism"] == 2
    event = AuditEvent.objects.filter(object_type="person", action="read").get()
    assert (event.actor_id, event.object_id) == (maya.user.pk, str(person.pk))


def test_the_clinician_cannot_rate_and_never_learns_of_unshared_people(client, alex, maya):
    shared = _add(maya, "Shared Sam", shared=True)
    private = _add(maya, "Private Pat", shared=False)
    assert _rate(client, alex, shared.pk).status_code == 403
    assert _rate(client, alex, private.pk).status_code == 404
    assert shared.ratings.count() == private.ratings.count() == 1


def test_ratings_outside_the_scale_are_refused(client, maya):
    person = _add(maya, "Sam", shared=False)
    response = _rate(client, maya.user, person.pk, body={**RATED, "reliability": -1})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"reliability"}
    assert person.ratings.count() == 1
