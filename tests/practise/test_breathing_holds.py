"""Paced breathing without holds: patterns with holds say the holds can be skipped and
offer a one-tap skip; ``?holds=skip`` opens the pacer with the holds at 0 seconds."""

import re
import uuid
from pathlib import Path

import pytest

from securebase.practise.models import ToolUse
from securebase.practise.toolkit import domain

pytestmark = pytest.mark.django_db

NOTE = "Holding your breath can feel uncomfortable. You can skip the holds."


def _seconds(page) -> list[str]:
    return re.findall(
        r'<input id="pacer-s-[^"]+"[^>]* value="(\d+)" data-pacer-seconds>', page.text
    )


def _holds_block(page) -> str:
    return re.search(r"<div class=\"pacer-holds\"[^>]*>", page.text).group(0)


def test_holds_are_found_and_skipped_in_the_pattern_seconds():
    assert [domain.has_holds(p["phases"]) for p in domain.PATTERNS.values()] == [True, True, False]
    assert domain.without_holds([4, 7, 8, 0]) == [4, 0, 8, 0]


def test_the_pacer_opens_with_the_box_pattern_and_its_holds(as_maya, maya):
    page = as_maya.get("/home/toolkit/breathing/")
    assert _seconds(page) == ["4", "4", "4", "4"]
    assert NOTE in page.text
    assert " hidden" not in _holds_block(page)
    assert 'id="pacer-skip-holds" data-pacer-skip-holds>' in page.text  # not checked
    assert re.search(r'<label class="choice" for="pacer-skip-holds">', page.text)


def test_holds_skip_prefills_the_holds_with_zero(as_maya, maya):
    page = as_maya.get("/home/toolkit/breathing/?holds=skip")
    assert _seconds(page) == ["4", "0", "4", "0"]
    assert "data-pacer-skip-holds checked" in page.text
    assert 'name="seconds" value="4,0,4,0"' in page.text
    assert "without holding your breath" in page.text  # what the page says without JavaScript


def test_a_chosen_pattern_with_holds_skipped_keeps_its_in_and_out(as_maya, maya):
    page = as_maya.get("/home/toolkit/breathing/?pattern=478&holds=skip")
    assert _seconds(page) == ["4", "0", "8", "0"]
    assert re.search(r'id="pacer-478" value="478" data-phases="4,7,8,0" checked', page.text)


def test_the_note_on_holds_shows_only_for_patterns_with_holds(as_maya, maya):
    with_holds = as_maya.get("/home/toolkit/breathing/?pattern=478")
    without = as_maya.get("/home/toolkit/breathing/?pattern=resonance")
    assert " hidden" not in _holds_block(with_holds)
    assert " hidden" in _holds_block(without)
    assert _seconds(without) == ["5", "0", "5", "0"]


def test_an_unknown_pattern_falls_back_to_box(as_maya, maya):
    page = as_maya.get("/home/toolkit/breathing/?pattern=nope&holds=maybe")
    assert _seconds(page) == ["4", "4", "4", "4"]


def test_breathing_with_holds_skipped_is_logged_with_zero_holds(as_maya, maya):
    data = {
        "pattern": "box",
        "seconds": "4,0,4,0",
        "minutes": "2",
        "submission_id": str(uuid.uuid4()),
    }
    assert as_maya.post("/home/toolkit/breathing/?holds=skip", data).status_code == 302
    assert ToolUse.objects.get().detail == {"pattern": "box", "minutes": 2, "seconds": [4, 0, 4, 0]}


def test_pacer_js_skips_holds_with_the_checkbox():
    source = (Path(__file__).parents[2] / "securebase/static/securebase/pacer.js").read_text()
    assert "data-pacer-skip-holds" in source and "data-pacer-holds" in source
