"""Every band, cut-off and reliable-change threshold has a source, and whatever is not yet verified
against its primary source says so, in words with the reason, wherever a clinician sees it."""

import datetime as dt

import pytest

from securebase.measures import definitions, presentation
from tests.clock import FROZEN_NOW
from tests.factories import phq9
from tests.factories.measures import POST_9, PRE_18

SUBSCALES = [
    pytest.param(d, s, id=f"{d.key}-{s.key}")
    for d in definitions.registry().values()
    for s in d.subscales
]


@pytest.mark.parametrize(("definition", "sub"), SUBSCALES)
def test_every_band_cut_off_and_threshold_names_its_source(definition, sub):
    if sub.bands:
        assert sub.bands_source.strip()
    if sub.cutoff is not None:
        assert sub.cutoff.source.strip()
    if sub.reliable_change is not None:
        assert sub.reliable_change.source.strip()


def test_the_unverified_numbers_are_listed_with_their_reason():
    notes = presentation.caveats(["phq9", "GAD-7", "core10", "csi4", "ecr-r"])

    assert any(n.startswith("PHQ-9") and "reliable-change threshold" in n for n in notes)
    assert not any(n.startswith("PHQ-9") and "band limits" in n for n in notes)  # verified
    assert any(n.startswith("GAD-7") and "cut-off of 8" in n for n in notes)
    assert any(n.startswith("CORE-10") and "band limits" in n for n in notes)
    assert not any("CORE-10" in n and "cut-off" in n for n in notes)  # 11 and 6: verified
    assert any(n.startswith("CSI-4") and "13.5" in n for n in notes)
    assert not any(n.startswith("ECR-R") for n in notes)
    assert any("PHQ-9" in n and "NHS Talking Therapies counts recovery" in n for n in notes)


def test_the_clinician_sees_the_unverified_threshold_at_the_marker_and_why_below(
    alex, maya, as_alex, as_maya
):
    phq9(alex, maya, PRE_18, FROZEN_NOW - dt.timedelta(days=42))
    phq9(alex, maya, POST_9, FROZEN_NOW - dt.timedelta(days=1))

    page = as_alex.get(f"/clients/{maya.pk}/measures/").text

    assert "since first: recovered (threshold not verified)" in page
    assert "Not yet verified against a primary source" in page
    assert "secondary sources quoting it agree on a fall of 6 points" in page
    assert "(band not verified)" not in page  # PHQ-9's bands are verified
    own = as_maya.get("/home/questionnaires/").text
    assert "not verified" not in own


def test_the_progress_page_and_the_report_carry_the_same_notes(alex, maya, as_alex):
    phq9(alex, maya, PRE_18, FROZEN_NOW - dt.timedelta(days=42))
    phq9(alex, maya, POST_9, FROZEN_NOW - dt.timedelta(days=1))

    for url in (f"/clients/{maya.pk}/progress/", f"/clients/{maya.pk}/report/"):
        page = as_alex.get(url)
        assert page.status_code == 200
        assert "the reliable-change threshold is not yet verified" in page.text, url
