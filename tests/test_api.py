import importlib
import inspect
import pkgutil
import uuid

import pytest
from ninja import Schema

import securebase
from securebase.accounts import tokens
from securebase.api.api import api
from securebase.audit.models import AuditEvent
from securebase.care.models import Client
from tests.factories import bearer


def test_me_describes_the_token_owner(client, alex):
    response = client.get("/api/v1/me", headers=bearer(alex))
    assert response.status_code == 200
    assert response.json()["email"] == "alex@example.org"
    assert response.json()["roles"] == ["clinician"]


def test_clients_lists_only_the_callers_clients(client, alex, maya, priya):
    response = client.get("/api/v1/clients", headers=bearer(alex))
    assert [c["name"] for c in response.json()] == ["Maya Okafor"]


def test_a_client_listing_clients_gets_themself(client, maya, priya):
    response = client.get("/api/v1/clients", headers=bearer(maya.user))
    assert [c["id"] for c in response.json()] == [str(maya.pk)]


def test_sams_token_gets_404_for_alexs_client_and_alexs_gets_200(client, alex, sam, maya):
    assert client.get(f"/api/v1/clients/{maya.pk}", headers=bearer(sam)).status_code == 404
    response = client.get(f"/api/v1/clients/{maya.pk}", headers=bearer(alex))
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["name"], body["email"]) == (
        str(maya.pk),
        "Maya Okafor",
        "maya@example.org",
    )
    assert [m["email"] for m in body["care_team"]] == ["alex@example.org"]
    assert body["referral_reason"] == "Low mood after a move."


def test_a_client_reading_their_own_record_does_not_get_clinical_notes(client, maya):
    body = client.get(f"/api/v1/clients/{maya.pk}", headers=bearer(maya.user)).json()
    assert body["referral_reason"] is None


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Bearer sb_forged", "Basic abc"])
def test_missing_or_bad_tokens_get_401_with_a_message(client, header, db):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_revoked_and_expired_tokens_stop_working(client, alex):
    token, secret = tokens.create_token(alex, name="t")
    tokens.revoke_token(token, by=alex)
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    )
    token, secret = tokens.create_token(alex, name="t2", days=1)
    type(token).objects.filter(pk=token.pk).update(expires_at=token.created_at)
    assert (
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    )


def test_tokens_are_stored_hashed(alex):
    token, secret = tokens.create_token(alex, name="t")
    token.refresh_from_db()
    assert secret not in (token.token_hash, token.prefix)
    assert len(token.token_hash) == 64


NEW_CLIENT = {"name": "Noor Haddad", "email": "noor@example.org", "language": "en", "country": "IE"}


def test_a_read_token_cannot_create(client, alex):
    response = client.post(
        "/api/v1/clients", NEW_CLIENT, content_type="application/json", headers=bearer(alex)
    )
    assert response.status_code == 403
    assert "read" in response.json()["detail"]


def test_creating_a_client_is_idempotent_on_the_idempotency_key(client, alex):
    headers = {**bearer(alex, "write"), "Idempotency-Key": str(uuid.uuid4())}
    first = client.post(
        "/api/v1/clients", NEW_CLIENT, content_type="application/json", headers=headers
    )
    again = client.post(
        "/api/v1/clients", NEW_CLIENT, content_type="application/json", headers=headers
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Client.objects.with_email(None, "noor@example.org").count() == 1

    changed = client.post(
        "/api/v1/clients",
        {**NEW_CLIENT, "name": "Other"},
        content_type="application/json",
        headers=headers,
    )
    assert changed.status_code == 422
    assert "different" in changed.json()["detail"]


def test_invalid_input_names_the_field(client, alex):
    response = client.post(
        "/api/v1/clients",
        {"name": "", "email": "not-an-email"},
        content_type="application/json",
        headers=bearer(alex, "write"),
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"name", "email", "country"} <= fields
    assert "email" in response.json()["detail"]


def test_openapi_schema_is_published(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/clients/{client_id}" in response.json()["paths"]


def test_api_reads_are_audited(client, alex, maya):
    client.get(f"/api/v1/clients/{maya.pk}", headers=bearer(alex))
    event = AuditEvent.objects.filter(client_id=maya.pk).order_by("-id").first()
    assert (event.action, event.via, event.actor_id) == ("read", "api", alex.pk)


def test_no_two_api_schemas_share_a_name():
    """The OpenAPI document keys schemas by class name: two of one name and the second's fields
    are published for both (the ladders' steps once showed the goals' fields)."""
    for module in pkgutil.walk_packages(securebase.__path__, "securebase."):
        if module.name.endswith(("_api", ".api", ".schemas")):
            importlib.import_module(module.name)

    def ours(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("securebase."):
                yield sub
            yield from ours(sub)

    seen: dict[str, str] = {}
    clashes = []
    for cls in set(ours(Schema)):
        where = f"{cls.__module__}.{cls.__qualname__}"
        if cls.__name__ in seen and seen[cls.__name__] != where:
            clashes.append(f"{seen[cls.__name__]} and {where}")
        seen.setdefault(cls.__name__, where)
    assert not clashes, clashes


def _operations():
    for _prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    yield path, method.lower(), operation.view_func


def test_the_openapi_document_says_where_an_idempotency_key_is_required(client):
    """Required in the document exactly where the route refuses a create without one."""
    documented = {}
    for path, methods in client.get("/api/v1/openapi.json").json()["paths"].items():
        for method, operation in methods.items():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "Idempotency-Key":
                    assert parameter["schema"]["format"] == "uuid"
                    documented[(path.removeprefix("/api/v1"), method)] = parameter["required"]
    enforced = {
        (path, method): "required_idempotency_key(" in inspect.getsource(view)
        for path, method, view in _operations()
        if (path, method) in documented
    }
    assert len(enforced) == len(documented) >= 17
    assert documented == enforced
    assert sum(documented.values()) >= 14


def test_every_operation_documents_the_errors_it_may_answer(client):
    for path, methods in client.get("/api/v1/openapi.json").json()["paths"].items():
        for method, operation in methods.items():
            answers = set(operation["responses"])
            assert {"401", "503"} <= answers, (path, method)
            if "requestBody" in operation:
                assert {"400", "413", "422"} <= answers, (path, method)
            for status in answers - {"200", "201"}:
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (path, method, status)


def test_a_body_that_is_not_json_answers_400_in_json(client, alex):
    response = client.post(
        "/api/v1/clients",
        "{not json",
        content_type="application/json",
        headers=bearer(alex, "write"),
    )

    assert response.status_code == 400
    assert "detail" in response.json()
