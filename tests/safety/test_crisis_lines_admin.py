"""The admins' crisis lines: every entry with its source and the day it was read, a reminder for
entries read more than a year ago, and the practice's own entries (added or replacing one),
which its clients see at once, audited; other practices are unaffected."""

import datetime as dt

import pytest

from securebase.audit.models import AuditEvent
from securebase.safety.crisis_lines import domain as crisis_lines
from securebase.safety.crisis_lines import resources
from securebase.safety.flags import domain as flags
from securebase.safety.models import CrisisOverride
from tests import factories
from tests.clock import FROZEN_NOW
from tests.conftest import sign_in

TODAY = FROZEN_NOW.date()
LOCAL_LINE = {
    "country": "ES",
    "replaces": "",
    "name": "Teléfono de la Esperanza (our area)",
    "kind": "crisis_line",
    "phone": "717 003 717",
    "text": "",
    "web": "",
    "languages": ["es"],
    "hours": "24 hours",
    "coverage": "Our region",
    "source": "https://telefonodelaesperanza.org/",
    "checked": (TODAY - dt.timedelta(days=3)).isoformat(),
}


@pytest.fixture
def as_admin(robin):
    return sign_in(robin)


def test_the_page_lists_every_entry_with_its_source_and_day(as_admin):
    page = as_admin.get("/practice/crisis-lines/")

    assert page.status_code == 200
    assert "samaritans.org" in page.text and "988lifeline.org" in page.text
    rows = page.context["rows"]
    assert {row.country for row in rows} >= {"GB", "US", "ES", "MX", "INTL"}
    assert all(row.entry.source and row.entry.checked for row in rows)


def test_entries_read_more_than_a_year_ago_are_marked_to_check_again(robin):
    newest = max(e.checked for c in resources.directory().countries.values() for e in c.resources)
    later = newest + dt.timedelta(days=366)

    rows = crisis_lines.admin_rows(robin.memberships.first().practice_id, "en", today=later)

    assert rows and all(row.stale for row in rows)
    assert crisis_lines.stale_count(robin.memberships.first().practice_id, today=newest) == 0


def test_every_admin_page_shows_how_many_entries_to_check_again(as_admin):
    assert "to check" not in as_admin.get("/practice/people/").text

    old = (TODAY - dt.timedelta(days=400)).isoformat()
    as_admin.post("/practice/crisis-lines/", {**LOCAL_LINE, "checked": old})
    page = as_admin.get("/practice/people/").text

    assert "1 to check" in page
    lines = as_admin.get("/practice/crisis-lines/").text
    assert "1 entry was read more than a year ago: check it again." in lines


def test_an_admin_adds_a_line_the_practices_clients_see_at_once_audited(as_admin, maya, priya):
    answer = as_admin.post("/practice/crisis-lines/", LOCAL_LINE)

    assert answer.status_code == 302
    maya.country = "ES"
    shown = flags.crisis_payload(maya)["crisis_resources"]["resources"]
    assert "Teléfono de la Esperanza (our area)" in [r["name"] for r in shown]
    assert "Find A Helpline" not in [r["name"] for r in shown]  # a crisis line now exists
    event = AuditEvent.objects.get(object_type="crisis_override")
    assert event.detail == {
        "country": "ES",
        "replaces": "",
        "source": "https://telefonodelaesperanza.org/",
    }
    other = factories.make_practice("Other Practice")
    elsewhere = factories.make_client(
        factories.make_clinician(other, "c@other.example.org"), name="Zoe"
    )
    elsewhere.country = "ES"
    assert "Teléfono de la Esperanza (our area)" not in [
        r["name"] for r in flags.crisis_payload(elsewhere)["crisis_resources"]["resources"]
    ]


def test_replacing_an_entry_takes_its_place_and_removing_brings_it_back(as_admin, maya):
    correction = {
        **LOCAL_LINE,
        "country": "GB",
        "replaces": "Samaritans",
        "name": "Samaritans (corrected)",
        "phone": "116 123",
        "languages": ["en"],
    }
    as_admin.post("/practice/crisis-lines/", correction)
    maya.country = "GB"

    names = [r["name"] for r in flags.crisis_payload(maya)["crisis_resources"]["resources"]]
    assert "Samaritans (corrected)" in names and "Samaritans" not in names

    row = CrisisOverride.objects.get()
    assert as_admin.post(f"/practice/crisis-lines/{row.pk}/remove/").status_code == 302
    names = [r["name"] for r in flags.crisis_payload(maya)["crisis_resources"]["resources"]]
    assert "Samaritans" in names and "Samaritans (corrected)" not in names
    assert AuditEvent.objects.filter(object_type="crisis_override", action="delete").count() == 1


def test_a_bad_entry_keeps_what_was_typed_and_says_why(as_admin):
    bad_number = as_admin.post("/practice/crisis-lines/", {**LOCAL_LINE, "phone": "call us!"})
    no_such = as_admin.post("/practice/crisis-lines/", {**LOCAL_LINE, "replaces": "No such"})

    assert (bad_number.status_code, no_such.status_code) == (400, 400)
    assert "This entry cannot be used" in bad_number.text and "phone" in bad_number.text
    assert "There is no entry of that name to replace in that country." in no_such.text
    assert "Teléfono de la Esperanza (our area)" in bad_number.text
    assert not CrisisOverride.objects.exists()


def test_a_source_read_in_the_future_is_refused(as_admin):
    future = {**LOCAL_LINE, "checked": (TODAY + dt.timedelta(days=30)).isoformat()}

    answer = as_admin.post("/practice/crisis-lines/", future)

    assert answer.status_code == 400
    assert "cannot be in the future" in answer.text


def test_only_admins_open_the_page(as_alex, as_maya):
    assert as_alex.get("/practice/crisis-lines/").status_code == 404
    assert as_maya.get("/practice/crisis-lines/").status_code == 404
