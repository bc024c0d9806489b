"""After discharge the client keeps their record and supervises themself; the risk notice is told
at onboarding and on the privacy cards; the choice pages turn anonymous people away."""

import pytest
from django.conf import settings
from django.test import Client as BrowserClient
from django.urls import reverse

from securebase.care import domain
from securebase.care.choice import domain as choice
from securebase.care.models import Client
from tests import factories
from tests.factories import JournalEntryFactory

NOTICE = (
    "If something you write suggests you may be at risk, your care team is told — even for a "
    "private entry. They see where it came from, not your words."
)
CHOICE_PAGES = (
    "programme_pause",
    "programme_resume",
    "my_sharing",
    "my_sharing_past",
    "my_sharing_default",
    "my_export",
    "my_export_download",
)


@pytest.fixture
def discharged_maya(maya):
    Client.objects.filter(pk=maya.pk).update(status=Client.Status.DISCHARGED)
    maya.refresh_from_db()
    return maya


def test_a_discharged_client_signs_in_with_their_password_and_reads_their_pages(discharged_maya):
    JournalEntryFactory(client=discharged_maya, text="Still writing after therapy")
    web = BrowserClient()
    response = web.post(
        "/accounts/login/", {"login": "maya@example.org", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert web.get("/home/").status_code == 200
    assert "Still writing after therapy" in web.get("/home/journal/").content.decode()
    for name in ("my_moments", "my_checkins", "checkin_schedule", "my_goals", "my_export"):
        assert web.get(reverse(name)).status_code == 200, name


def test_a_discharged_clients_home_offers_prompts_and_self_checkins(discharged_maya):
    web = BrowserClient()
    web.force_login(discharged_maya.user)
    page = web.get("/home/").content.decode()
    assert "Choose how often you check in with yourself" in page
    assert f'href="{reverse("checkin_schedule")}"' in page
    for key, text in choice.REFLECTIVE_PROMPTS:
        assert f'href="{reverse("journal_new")}?prompt={key}"' in page
        assert str(text).replace("'", "&#x27;") in page


def test_a_client_in_therapy_sees_no_self_supervision_card(as_maya):
    assert (
        "Choose how often you check in with yourself" not in as_maya.get("/home/").content.decode()
    )


def test_prompt_words_are_found_by_key_and_unknown_keys_give_nothing():
    key, text = choice.REFLECTIVE_PROMPTS[0]
    assert choice.prompt_text(key) == str(text)
    assert choice.prompt_text("nope") == ""
    assert choice.prompt_text(None) == ""


def test_the_risk_notice_is_on_home_and_preferences(as_maya):
    for url in ("/home/", "/home/choices/", "/home/sharing/"):
        assert NOTICE in as_maya.get(url).content.decode(), url


def test_the_risk_notice_is_told_at_onboarding_next_to_the_sharing_choice(alex):
    newcomer = factories.make_client(alex, email="noor@example.org")
    sent = domain.invite_client(by=alex, client=newcomer)
    page = BrowserClient().get(sent.url.removeprefix(settings.SITE_URL)).content.decode()
    assert NOTICE in page
    assert page.index("What your care team sees") < page.index(NOTICE)


def test_the_choice_pages_turn_anonymous_people_away(client, db):
    for name in CHOICE_PAGES:
        for method in ("get", "post"):
            response = getattr(client, method)(reverse(name))
            assert response.status_code in (302, 405), (name, method)
            if response.status_code == 302:
                assert response["Location"].startswith("/accounts/login/"), name
