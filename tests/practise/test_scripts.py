"""Guided-imagery and role-play scripts: rendered step by step, logged with intensity."""

import uuid

import pytest

from securebase.audit.models import AuditEvent
from securebase.practise.models import ToolUse
from securebase.practise.scripts import domain as scripts


@pytest.mark.parametrize("slug", scripts.IMAGERY + scripts.ROLEPLAY + scripts.COREGULATION)
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_script_renders_in_steps(slug, language):
    script = scripts.render(slug, language, {"partner": "Sol"})
    assert script.title and script.lead and len(script.steps) >= 4
    if slug not in scripts.COREGULATION:
        words = len(scripts.read_source(slug, language).split())
        assert 200 <= words <= 350


def test_a_script_is_read_one_step_per_screen(as_maya):
    first = as_maya.get("/home/toolkit/scripts/safe-place/")
    assert first.status_code == 200 and "?step=1" in first.text
    step = as_maya.get("/home/toolkit/scripts/safe-place/?step=2")
    assert "Step 2 of" in step.text and "?step=3" in step.text
    done = as_maya.get("/home/toolkit/scripts/safe-place/?step=99")
    assert "submission_id" in done.text
    assert as_maya.get("/home/toolkit/scripts/no-such/").status_code == 404


def test_reading_a_roleplay_is_logged_once_with_before_and_after(as_maya, maya):
    data = {"intensity_before": "6", "intensity_after": "3", "submission_id": str(uuid.uuid4())}
    url = "/home/toolkit/scripts/saying-no-kindly/"
    assert as_maya.post(url, {**data, "notes": "felt steadier"}).status_code == 302
    as_maya.post(url, {**data, "notes": "felt steadier"})
    use = ToolUse.objects.get()
    assert (use.tool, use.intensity_before, use.intensity_after) == ("roleplay", 6, 3)
    assert use.detail == {"script": "saying-no-kindly"}
    event = AuditEvent.objects.filter(object_type="tool_use").get()
    assert "steadier" not in str(event.detail)


def test_the_clients_own_word_for_partner_is_used(as_maya, maya):
    maya.preferred_terms = {"partner": "my person"}
    maya.save()
    page = as_maya.get("/home/toolkit/scripts/returning-after-rupture/?step=3")
    assert "my person" in page.text


def test_a_clinician_has_no_client_pages_here(as_alex):
    assert as_alex.get("/home/toolkit/scripts/").status_code == 404
