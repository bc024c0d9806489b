"""The feelings journal: private unless shared, searchable by the client, never duplicated."""

import uuid

import pytest
from django.db import connection

from securebase.audit.models import AuditEvent
from securebase.practise.journal import domain as journal_domain
from securebase.practise.models import JournalEntry
from tests.conftest import sign_in
from tests.factories import bearer


def _entry(**extra):
    data = {
        "text": "Felt left out when the plans changed",
        "emotion_1": "lonely",
        "intensity_1": "7",
        "submission_id": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


def test_a_client_writes_an_entry_private_by_default_and_once(as_maya, maya):
    data = _entry()
    as_maya.post("/home/journal/new/", data)
    as_maya.post("/home/journal/new/", data)
    entry = JournalEntry.objects.get(client=maya)
    assert entry.shared is False
    assert journal_domain.emotions_of(entry) == [{"name": "lonely", "intensity": 7}]


def test_bad_input_is_explained_and_kept(as_maya, maya):
    response = as_maya.post("/home/journal/new/", _entry(intensity_1="", own_emotion_2="tender"))
    assert response.status_code == 400
    assert "How strong was" in response.text
    assert "Felt left out when the plans changed" in response.text
    assert 'value="tender"' in response.text
    assert not JournalEntry.objects.exists()


def test_the_client_searches_text_and_feelings(as_maya, maya):
    as_maya.post("/home/journal/new/", _entry())
    as_maya.post("/home/journal/new/", _entry(text="A calm walk by the sea", emotion_1="calm"))
    assert [e.text for e in as_maya.post("/home/journal/", {"q": "SEA"}).context["entries"]] == [
        "A calm walk by the sea"
    ]
    found = as_maya.post("/home/journal/", {"q": "lonely"}).context["entries"]
    assert [e.text for e in found] == ["Felt left out when the plans changed"]
    assert len(as_maya.get("/home/journal/").context["entries"]) == 2
    # Words in a URL are not searched: old links and bookmarks show the whole journal.
    assert len(as_maya.get("/home/journal/", {"q": "SEA"}).context["entries"]) == 2


def test_the_clinician_sees_shared_entries_only(as_alex, as_maya, maya):
    as_maya.post("/home/journal/new/", _entry(text="Private page"))
    as_maya.post("/home/journal/new/", _entry(text="Shared page", shared="on"))
    page = as_alex.get(f"/clients/{maya.pk}/journal/")
    assert "Shared page" in page.text and "Private page" not in page.text
    private = JournalEntry.objects.get(shared=False)
    as_maya.post(f"/home/journal/{private.pk}/share/", {"shared": "1"})
    assert "Private page" in as_alex.get(f"/clients/{maya.pk}/journal/").text


@pytest.mark.parametrize("who", ["sam", "priya"])
def test_nobody_else_reads_or_shares_entries(who, request, as_maya, maya):
    as_maya.post("/home/journal/new/", _entry(shared="on"))
    entry = JournalEntry.objects.get()
    user = request.getfixturevalue(who)
    web = sign_in(getattr(user, "user", user))
    assert web.get(f"/clients/{maya.pk}/journal/").status_code == 404
    assert web.post(f"/home/journal/{entry.pk}/share/", {"shared": "0"}).status_code == 404


def test_journal_text_is_encrypted_and_not_audited(as_maya, maya):
    as_maya.post("/home/journal/new/", _entry(text="Nobody stays"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM practise_journalentry")
        assert "Nobody stays" not in cursor.fetchone()[0]
    details = " ".join(str(e.detail) for e in AuditEvent.objects.filter(client_id=maya.pk))
    assert "Nobody stays" not in details


# --- the API ---------------------------------------------------------------------------------------

BODY = {"text": "Tight chest before the call", "emotions": [{"name": "anxious", "intensity": 8}]}


def _post(client, user, body=BODY, key=None, who=None):
    headers = {**bearer(user, "write"), "Idempotency-Key": key or str(uuid.uuid4())}
    return client.post(
        f"/api/v1/clients/{(who or user.client_record).pk}/journal",
        body,
        content_type="application/json",
        headers=headers,
    )


def test_the_api_writes_once_per_key_and_lists_what_the_caller_may_see(client, alex, maya):
    key = str(uuid.uuid4())
    first = _post(client, maya.user, key=key)
    again = _post(client, maya.user, key=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    shared = _post(client, maya.user, body={**BODY, "text": "Shared one", "shared": True}).json()
    url = f"/api/v1/clients/{maya.pk}/journal"
    assert [e["id"] for e in client.get(url, headers=bearer(alex)).json()] == [shared["id"]]
    assert len(client.get(url, headers=bearer(maya.user)).json()) == 2
    assert len(client.get(url, {"q": "chest"}, headers=bearer(maya.user)).json()) == 1


def test_the_api_searches_with_the_words_in_the_body_and_a_read_token(client, maya):
    _post(client, maya.user)
    _post(client, maya.user, body={**BODY, "text": "A calm walk by the sea"})
    url = f"/api/v1/clients/{maya.pk}/journal/search"

    found = client.post(
        url, {"q": "sea"}, content_type="application/json", headers=bearer(maya.user)
    )
    long = client.post(
        url, {"q": "x" * 201}, content_type="application/json", headers=bearer(maya.user)
    )

    assert found.status_code == 200
    assert [e["text"] for e in found.json()] == ["A calm walk by the sea"]
    assert long.status_code == 422


def test_the_api_names_bad_fields_and_refuses_others(client, alex, sam, maya):
    response = _post(
        client, maya.user, body={"text": "x", "emotions": [{"name": "a", "intensity": 11}]}
    )
    assert response.status_code == 422
    assert "emotions.0.intensity" in {e["field"] for e in response.json()["errors"]}
    assert _post(client, alex, who=maya).status_code == 403
    assert _post(client, sam, who=maya).status_code == 404
    assert client.get(f"/api/v1/clients/{maya.pk}/journal", headers=bearer(sam)).status_code == 404
