"""The toolkit: breathing, grounding, rituals, reframes, requests; what helped; privacy."""

import re
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from securebase.audit.models import AuditEvent
from securebase.practise.models import Reframe, Request, Ritual, ToolUse
from securebase.practise.toolkit import domain
from tests.conftest import sign_in
from tests.factories import ReframeFactory, RequestEntryFactory, RitualFactory, ToolUseFactory


def _key():
    return str(uuid.uuid4())


def test_the_pacer_page_serves_pacer_js_and_has_no_inline_script(as_maya, maya):
    page = as_maya.get("/home/toolkit/breathing/")
    assert page.status_code == 200
    scripts = re.findall(r"<script[^>]*>", page.text)
    assert any("securebase/pacer.js" in s and "defer" in s for s in scripts)
    assert all("src=" in s for s in scripts)
    assert " style=" not in page.text
    assert "Breathe in" in page.text and "Breathe out" in page.text
    assert 'data-phases="4,7,8,0"' in page.text and 'data-phases="5,0,5,0"' in page.text


def test_pacer_js_makes_no_network_calls_and_no_eval():
    source = (Path(__file__).parents[2] / "securebase/static/securebase/pacer.js").read_text()
    for forbidden in ("fetch(", "XMLHttpRequest", "eval(", "new Function", "import(", "sendBeacon"):
        assert forbidden not in source
    assert "prefers-reduced-motion" in source


def test_a_breathing_session_is_logged_with_before_and_after(as_maya, maya):
    data = {
        "pattern": "478",
        "seconds": "4,7,8,0",
        "minutes": "3",
        "intensity_before": "7",
        "intensity_after": "4",
        "submission_id": _key(),
    }
    assert as_maya.post("/home/toolkit/breathing/", data).status_code == 302
    as_maya.post("/home/toolkit/breathing/", data)
    use = ToolUse.objects.get()
    assert (use.tool, use.intensity_before, use.intensity_after) == ("breathing", 7, 4)
    assert use.detail == {"pattern": "478", "minutes": 3, "seconds": [4, 7, 8, 0]}


def test_grounding_goes_step_by_step_without_javascript(as_maya, maya):
    first = as_maya.get("/home/toolkit/grounding/")
    assert "five things you can see" in first.text and "?step=2" in first.text
    last = as_maya.get("/home/toolkit/grounding/?step=5")
    assert "one thing you can taste" in last.text and "?step=6" in last.text
    done = as_maya.get("/home/toolkit/grounding/?step=6")
    assert "submission_id" in done.text
    as_maya.post(
        "/home/toolkit/grounding/",
        {"intensity_before": "6", "intensity_after": "3", "submission_id": _key()},
    )
    assert ToolUse.objects.get().tool == "grounding"


def test_what_helped_is_the_mean_drop_per_tool(as_maya, maya):
    for before, after in ((8, 4), (6, 4), (5, None)):
        ToolUseFactory(
            client=maya, tool="breathing", intensity_before=before, intensity_after=after
        )
    ToolUseFactory(client=maya, tool="grounding")
    helped = domain.what_helped(maya)
    assert helped["breathing"] == {"uses": 3, "rated": 2, "mean_drop": 3.0}
    assert helped["grounding"]["mean_drop"] is None
    page = as_maya.get("/home/toolkit/")
    assert "3.0" in page.text


def test_rituals_are_added_edited_used_and_offered_in_the_pause(as_maya, maya):
    key = _key()
    data = {
        "name": "Warm tea",
        "steps": "Boil\nSip",
        "when_it_helps": "Evenings",
        "submission_id": key,
    }
    as_maya.post("/home/toolkit/rituals/new/", data)
    as_maya.post("/home/toolkit/rituals/new/", data)
    ritual = Ritual.objects.get()
    assert "Warm tea" in as_maya.get("/home/toolkit/rituals/").text
    as_maya.post(f"/home/toolkit/rituals/{ritual.pk}/", {"name": "Warm cocoa"})
    ritual.refresh_from_db()
    assert ritual.name == "Warm cocoa"
    assert "Warm cocoa" in as_maya.get("/home/pause/").text
    as_maya.post(
        f"/home/toolkit/rituals/{ritual.pk}/use/",
        {"intensity_before": "5", "intensity_after": "2", "submission_id": _key()},
    )
    use = ToolUse.objects.get()
    assert (use.tool, use.ritual_id) == ("ritual", ritual.pk)


def test_a_ritual_needs_a_name(as_maya, maya):
    with pytest.raises(domain.ToolkitError) as err:
        domain.prepared_ritual(maya, {"name": "  "})
    assert err.value.field == "name"


def test_a_reframe_is_saved_and_counts_as_a_tool_use(as_maya, maya):
    data = {
        "situation": "No reply",
        "automatic_thought": "They are leaving",
        "emotion": "afraid",
        "intensity_before": "8",
        "evidence_against": "They said they were busy",
        "balanced_thought": "Busy, not leaving",
        "intensity_after": "4",
        "submission_id": _key(),
    }
    assert as_maya.post("/home/toolkit/reframes/new/", data).status_code == 302
    as_maya.post("/home/toolkit/reframes/new/", data)
    assert Reframe.objects.count() == 1
    assert domain.what_helped(maya)["reframe"]["mean_drop"] == 4.0
    bad = as_maya.post(
        "/home/toolkit/reframes/new/", {**data, "submission_id": _key(), "intensity_after": "11"}
    )
    assert bad.status_code == 400


def test_a_request_is_rehearsed_then_logged_with_how_it_went(as_maya, maya):
    data = {
        "i_feel": "hurt",
        "i_need": "time",
        "i_ask": "a call on Sundays",
        "submission_id": _key(),
    }
    response = as_maya.post("/home/toolkit/requests/new/", data)
    req = Request.objects.get()
    assert response["Location"] == f"/home/toolkit/requests/{req.pk}/"
    as_maya.post(f"/home/toolkit/requests/{req.pk}/", {"how_it_went": "They agreed"})
    as_maya.post(f"/home/toolkit/requests/{req.pk}/", {"how_it_went": "They agreed, mostly"})
    req.refresh_from_db()
    assert req.done_at is not None and req.how_it_went == "They agreed, mostly"
    assert ToolUse.objects.filter(tool="request").count() == 1
    assert as_maya.post("/home/toolkit/requests/new/", {"submission_id": _key()}).status_code == 400


def test_toolkit_text_stays_out_of_the_audit_log(as_maya, maya):
    as_maya.post("/home/toolkit/requests/new/", {"i_ask": "Secretrequest", "submission_id": _key()})
    as_maya.post("/home/toolkit/rituals/new/", {"name": "Secretritual", "submission_id": _key()})
    events = AuditEvent.objects.filter(client_id=maya.pk, object_type__in=["request", "ritual"])
    assert events.count() == 2
    assert "Secret" not in str([e.detail for e in events])


@pytest.mark.parametrize("who", ["alex", "sam", "priya"])
def test_nobody_else_opens_a_clients_toolkit_entries(who, request, as_maya, maya):
    ritual = RitualFactory(client=maya, name="Mine", shared=True)
    req = RequestEntryFactory(client=maya, i_ask="Mine", shared=True)
    user = request.getfixturevalue(who)
    web = sign_in(getattr(user, "user", user))
    assert web.get(f"/home/toolkit/rituals/{ritual.pk}/").status_code == 404
    assert web.get(f"/home/toolkit/rituals/{ritual.pk}/use/").status_code == 404
    assert web.get(f"/home/toolkit/requests/{req.pk}/").status_code == 404
    own_list = web.get("/home/toolkit/rituals/")  # priya is a client: she sees only her own
    assert own_list.status_code == 404 or "Mine" not in own_list.text


def test_the_domain_refuses_another_clients_ritual(maya, priya):
    other = RitualFactory(client=priya, name="Theirs")
    with pytest.raises(domain.ToolkitError):
        domain.prepared_use(maya, {"tool": "ritual", "ritual": other.pk})
    with pytest.raises(domain.ToolkitError):
        domain.prepared_use(maya, {"tool": "breathing", "detail": {"pattern": "fast"}})


@pytest.mark.parametrize(
    "path",
    [
        "/home/toolkit/",
        "/home/toolkit/rituals/",
        "/home/toolkit/reframes/",
        "/home/toolkit/requests/",
    ],
)
def test_toolkit_list_query_counts_do_not_grow(path, as_maya, maya):
    def add():
        RitualFactory(client=maya, name="r")
        ReframeFactory(
            client=maya, situation="s", automatic_thought="t", emotion="sad", intensity_before=5
        )
        RequestEntryFactory(client=maya, i_ask="a")
        ToolUseFactory(client=maya, tool="breathing", intensity_before=5, intensity_after=3)

    add()
    as_maya.get(path)
    with CaptureQueriesContext(connection) as small:
        assert as_maya.get(path).status_code == 200
    for _ in range(4):
        add()
    with CaptureQueriesContext(connection) as large:
        as_maya.get(path)
    assert len(small) == len(large)
