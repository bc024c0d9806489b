"""Overwhelm in the session brief: shared moments and pauses at 9–10 or felt numb or
far away are counted for the care team, as a line and not as a risk flag; private ones are
neither counted nor quoted."""

import datetime as dt

import pytest
from django.utils import timezone

from securebase.plan.brief.domain import build_brief
from securebase.plan.sessions import domain as sessions
from securebase.safety.models import Alert
from tests.factories import MomentFactory, PauseFactory

pytestmark = pytest.mark.django_db

LINE_ONE = "1 entry at intensity 9–10, or felt numb or far away, in this period"


def _ago(days):
    return timezone.now() - dt.timedelta(days=days)


def _brief(client, viewer):
    today = sessions.client_today(client)
    return build_brief(client, viewer=viewer, start=today - dt.timedelta(days=14), end=today)


def _moment(client, *, intensity, shared, situation="", cues=(), days_ago=2):
    return MomentFactory(
        client=client,
        occurred_at=_ago(days_ago),
        emotions_json=f'[{{"name": "lonely", "intensity": {intensity}}}]',
        body_cues=list(cues),
        situation=situation,
        shared=shared,
    )


def test_shared_intense_and_far_away_entries_are_counted(alex, maya):
    _moment(maya, intensity=9, shared=True)
    _moment(maya, intensity=3, shared=True, cues=["numb"])
    _moment(maya, intensity=5, shared=True)
    PauseFactory(client=maya, intensity_before=10, shared=True, created_at=_ago(1))
    PauseFactory(client=maya, intensity_before=2, emotion="numb", shared=True, created_at=_ago(1))
    PauseFactory(client=maya, intensity_before=6, shared=True, created_at=_ago(1))
    brief = _brief(maya, alex)
    assert brief.overwhelm == {"moments": 2, "pauses": 2}
    assert brief.overwhelm_total == 4
    assert brief.practice["pauses"] == 3


def test_private_and_old_entries_are_not_counted(alex, maya):
    _moment(maya, intensity=10, shared=False)
    PauseFactory(client=maya, intensity_before=10, shared=False, created_at=_ago(1))
    PauseFactory(client=maya, intensity_before=10, shared=True, created_at=_ago(30))
    assert _brief(maya, alex).overwhelm == {"moments": 0, "pauses": 0}


# The brief page reads since the last session; with none, since the client joined (today).


def test_the_brief_shows_the_line_to_the_clinician_without_an_alert(as_alex, alex, maya):
    PauseFactory(client=maya, intensity_before=10, shared=True, created_at=_ago(0))
    page = as_alex.get(f"/clients/{maya.pk}/brief/")
    assert page.status_code == 200
    assert LINE_ONE in page.text
    assert "This is not a risk flag." in page.text
    assert not Alert.objects.filter(client=maya).exists()


def test_a_private_entrys_words_never_reach_the_brief(as_alex, alex, maya):
    _moment(maya, intensity=10, shared=False, situation="PRIVATE-WORDS", days_ago=0)
    _moment(maya, intensity=10, shared=True, situation="Shared words", days_ago=0)
    page = as_alex.get(f"/clients/{maya.pk}/brief/")
    assert LINE_ONE in page.text  # the shared one only
    assert "PRIVATE-WORDS" not in page.text


def test_without_overwhelm_the_brief_has_no_such_line(as_alex, alex, maya):
    PauseFactory(client=maya, intensity_before=5, shared=True, created_at=_ago(0))
    assert "intensity 9–10" not in as_alex.get(f"/clients/{maya.pk}/brief/").text
