from django.db import connection
from django.test.utils import CaptureQueriesContext

from securebase.audit.models import AuditEvent
from tests.conftest import sign_in
from tests.factories import ReframeFactory, RequestEntryFactory, ToolUseFactory


def _url(client):
    return f"/clients/{client.pk}/toolkit/"


def _add(maya, *, shared=True, tag="x"):
    ToolUseFactory(
        client=maya,
        tool="breathing",
        intensity_before=7,
        intensity_after=3,
        notes=f"breathing note {tag}",
        shared=shared,
    )
    ToolUseFactory(
        client=maya, tool="grounding", intensity_before=6, intensity_after=5, shared=shared
    )
    ReframeFactory(
        client=maya,
        situation=f"situation {tag}",
        automatic_thought=f"thought {tag}",
        emotion="sad",
        intensity_before=8,
        balanced_thought=f"balanced {tag}",
        intensity_after=4,
        shared=shared,
    )
    RequestEntryFactory(
        client=maya, i_need=f"need {tag}", i_ask=f"ask {tag}", how_it_went="ok", shared=shared
    )


def test_clinician_sees_shared_tool_uses_reframes_requests_and_what_helped(as_alex, maya):
    _add(maya, tag="shared")
    ToolUseFactory(
        client=maya, tool="breathing", intensity_before=9, intensity_after=9, shared=True
    )
    response = as_alex.get(_url(maya))
    body = response.content.decode()
    assert response.status_code == 200
    for text in ("breathing note shared", "situation shared", "balanced shared", "ask shared"):
        assert text in body
    assert "7 → 3/10" in body
    # breathing: drops 4 and 0 → mean 2.0; grounding: drop 1 → 1.0
    assert "2.0/10" in body and "1.0/10" in body
    event = AuditEvent.objects.filter(client_id=maya.pk, object_type="toolkit").last()
    assert event.action == "list" and event.detail["tool_uses"] == 3
    assert set(event.detail) == {"tool_uses", "reframes", "requests"}  # counts, no text


def test_unshared_entries_are_invisible_and_left_out_of_what_helped(as_alex, maya):
    _add(maya, shared=False, tag="private")
    ToolUseFactory(
        client=maya, tool="breathing", intensity_before=5, intensity_after=4, shared=True
    )
    body = as_alex.get(_url(maya)).content.decode()
    for text in ("breathing note private", "situation private", "ask private", "need private"):
        assert text not in body
    assert "1.0/10" in body and "4.0/10" not in body
    assert "5-4-3-2-1 grounding" not in body


def test_outsiders_get_404(sam, priya, maya):
    _add(maya)
    assert sign_in(sam).get(_url(maya)).status_code == 404
    assert sign_in(priya.user).get(_url(maya)).status_code == 404
    assert sign_in(maya.user).get(_url(maya)).status_code == 404
    assert sign_in(sam).get("/clients/not-an-id/toolkit/").status_code == 404


def test_empty_page_says_so(as_alex, maya):
    body = as_alex.get(_url(maya)).content.decode()
    assert "No shared tool uses yet." in body and "No shared requests yet." in body


def test_query_count_is_constant_at_two_sizes(as_alex, maya):
    _add(maya)
    as_alex.get(_url(maya))
    with CaptureQueriesContext(connection) as small:
        assert as_alex.get(_url(maya)).status_code == 200
    for n in range(6):
        _add(maya, tag=str(n))
        _add(maya, shared=False, tag=f"p{n}")
    with CaptureQueriesContext(connection) as large:
        assert as_alex.get(_url(maya)).status_code == 200
    assert len(small) == len(large)
