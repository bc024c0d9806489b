"""The API kit: what every router shares, seen as an API client sees it."""

from __future__ import annotations

import ast
import re
import uuid
from pathlib import Path

import pytest

import securebase
from securebase.api.api import api
from securebase.practise.models import Pause
from securebase.practise.pause import domain as pauses
from securebase.understand.moments import domain as moments
from tests import factories
from tests.factories import MomentFactory, bearer

PAUSE = {"body_cues": ["chest"], "emotion": "anxious", "intensity_before": 7, "next_step": "Walk"}


def _post_pause(client, user, body=PAUSE, headers=None, scope="write"):
    return client.post(
        f"/api/v1/clients/{user.client_record.pk}/pauses",
        body,
        content_type="application/json",
        headers={**bearer(user, scope), **(headers or {})},
    )


def test_a_domain_input_error_answers_422_naming_the_field(client, maya):
    response = _post_pause(
        client,
        maya.user,
        body={**PAUSE, "body_cues": ["wings"]},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )

    assert response.status_code == 422
    assert response.json() == {
        "detail": "Invalid input: body_cues: Unknown body cue: wings",
        "errors": [{"field": "body_cues", "message": "Unknown body cue: wings"}],
    }
    assert not Pause.objects.exists()


def test_a_missing_idempotency_key_answers_422_saying_what_to_send(client, maya):
    response = _post_pause(client, maya.user)

    assert response.status_code == 422
    assert response.json() == {
        "detail": "Send an Idempotency-Key header (a UUID) so a retry cannot record twice."
    }
    assert not Pause.objects.exists()


def test_a_malformed_idempotency_key_answers_422(client, maya):
    response = _post_pause(client, maya.user, headers={"Idempotency-Key": "not-a-uuid"})

    assert response.status_code == 422
    assert response.json() == {"detail": "The Idempotency-Key header must be a UUID."}
    assert not Pause.objects.exists()


def test_every_creating_endpoint_declares_the_one_idempotency_key_header():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    creating = [
        (path, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method == "post" and "201" in {str(code) for code in op["responses"]}
    ]
    assert len(creating) >= 14
    for path, op in creating:
        headers = {p["name"]: p for p in op.get("parameters", []) if p["in"] == "header"}
        description = headers["Idempotency-Key"]["description"]
        assert description.removeprefix("Required: ").lower().startswith("a uuid you generate"), (
            path
        )


def test_a_read_only_token_is_refused_on_a_write_endpoint(client, maya):
    response = _post_pause(
        client, maya.user, scope="read", headers={"Idempotency-Key": str(uuid.uuid4())}
    )

    assert response.status_code == 403
    assert response.json() == {
        "detail": "This token can only read. Create a token with write access."
    }
    assert not Pause.objects.exists()


def test_a_read_only_token_still_reads(client, maya):
    response = client.get(
        f"/api/v1/clients/{maya.pk}/pauses", headers=bearer(maya.user, scope="read")
    )

    assert response.status_code == 200


def _log_pauses(maya, count):
    for n in range(count):
        pauses.log_pause(
            maya, by=maya.user, data={**PAUSE, "next_step": f"step {n}"}, submission_id=None
        )


def test_a_list_never_answers_more_rows_than_its_cap(client, maya, monkeypatch):
    monkeypatch.setattr(pauses, "PAUSES_LIMIT", 3)
    _log_pauses(maya, 5)
    url = f"/api/v1/clients/{maya.pk}/pauses"
    headers = bearer(maya.user)

    default = client.get(url, headers=headers)
    asked_for_more = client.get(f"{url}?limit=100", headers=headers)

    assert len(default.json()) == 3
    assert len(asked_for_more.json()) == 3


def test_offset_and_limit_page_through_a_list(client, maya):
    _log_pauses(maya, 5)
    url = f"/api/v1/clients/{maya.pk}/pauses"
    headers = bearer(maya.user)

    everything = [p["id"] for p in client.get(url, headers=headers).json()]
    page = [p["id"] for p in client.get(f"{url}?offset=1&limit=2", headers=headers).json()]

    assert len(everything) == 5
    assert page == everything[1:3]


def test_a_negative_offset_or_zero_limit_is_refused(client, maya):
    url = f"/api/v1/clients/{maya.pk}/moments"
    headers = bearer(maya.user)

    assert client.get(f"{url}?offset=-1", headers=headers).status_code == 422
    assert client.get(f"{url}?limit=0", headers=headers).status_code == 422


def test_the_web_page_and_the_api_share_the_list_cap(client, as_maya, maya, monkeypatch):
    monkeypatch.setattr(moments, "MOMENTS_LIMIT", 2)
    MomentFactory.create_batch(3, client=maya)

    api_rows = client.get(f"/api/v1/clients/{maya.pk}/moments", headers=bearer(maya.user))
    page = as_maya.get("/home/moments/")

    assert len(api_rows.json()) == 2
    assert len(page.context["moments"]) == 2


# --- the routers stay thin ------------------------------------------------------------------------

ROOT = Path(securebase.__file__).parent
ROUTER_FILES = sorted([*ROOT.glob("**/api.py"), ROOT / "api" / "clients.py"])


def _orm_and_audit_uses(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(f"line {node.lineno}: .objects")
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("securebase.audit"):
            found.append(f"line {node.lineno}: from {node.module} import …")
        if isinstance(node, ast.Import) and any(
            a.name.startswith("securebase.audit") for a in node.names
        ):
            found.append(f"line {node.lineno}: import securebase.audit…")
    return found


@pytest.mark.parametrize("path", ROUTER_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_api_files_neither_query_the_orm_nor_write_the_audit_log(path):
    """Reads, access and their audit events belong in the concept's domain module."""
    assert _orm_and_audit_uses(path) == []


def test_the_thin_router_scan_finds_what_it_looks_for(tmp_path):
    bad = tmp_path / "api.py"
    bad.write_text(
        "from securebase.audit.log import record\n"
        "import securebase.audit.log\n"
        "rows = Moment.objects.filter(shared=True)\n"
    )
    assert len(_orm_and_audit_uses(bad)) == 3


# The instrument catalogue is the fixed list the app ships (a few dozen), not a growing list.
NOT_PAGED = {"/api/v1/instruments"}


def test_every_list_takes_offset_and_limit():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    lists = {
        path: {p["name"] for p in item["get"].get("parameters", []) if p["in"] == "query"}
        for path, item in schema["paths"].items()
        if "get" in item
        and item["get"]["responses"][200]["content"]["application/json"]["schema"].get("type")
        == "array"
    }
    assert len(lists) >= 15
    unpaged = {path for path, query in lists.items() if not {"offset", "limit"} <= query}
    assert unpaged == NOT_PAGED
    for path in set(lists) - NOT_PAGED:
        (limit,) = (p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == "limit")
        assert re.search(r"\b\d+ when left out or larger", limit["description"]), path


def test_a_goals_ratings_page_through_with_offset_and_limit(client, alex, maya):
    goal = factories.make_goal(maya)
    for days, level in ((3, -1), (2, 0), (1, 1)):
        factories.rate(goal, level, at=factories.days_ago(days))
    url = f"/api/v1/goals/{goal.pk}/ratings"
    headers = bearer(alex)

    everything = [r["id"] for r in client.get(url, headers=headers).json()]
    page = [r["id"] for r in client.get(f"{url}?offset=1&limit=1", headers=headers).json()]

    assert len(everything) >= 3
    assert page == everything[1:2]


def test_a_full_page_links_to_the_next_and_the_cursor_walks_the_whole_list(client, maya):
    _log_pauses(maya, 5)
    headers = bearer(maya.user)
    url = f"/api/v1/clients/{maya.pk}/pauses?limit=2"
    everything = [
        p["id"] for p in client.get(f"/api/v1/clients/{maya.pk}/pauses", headers=headers).json()
    ]

    walked, pages = [], 0
    while url:
        response = client.get(url, headers=headers)
        walked += [p["id"] for p in response.json()]
        pages += 1
        link = response.get("Link")
        url = link[1 : link.index(">")] if link else None
        assert not link or link.endswith('; rel="next"')

    assert walked == everything and len(everything) == 5
    assert pages == 3  # 2 + 2 + 1: the last page is not full, so it links nowhere


def test_a_cursor_the_api_did_not_give_out_is_refused(client, maya):
    url = f"/api/v1/clients/{maya.pk}/pauses?cursor=b2Zmc2V0OjEw"
    response = client.get(url, headers=bearer(maya.user))

    assert response.status_code == 422
    assert response.json() == {
        "detail": "This cursor was not given out by this API: start without one."
    }
