"""The session brief's risk flags: every open risk alert and those raised in the window, in the
alerts page's words, each with a link to acknowledge it."""

from securebase.safety.flags import domain as flags
from securebase.safety.models import Alert
from tests.factories import raise_flag


def test_the_brief_words_risk_flags_as_the_alerts_page_does_and_links_to_acknowledge(as_alex, maya):
    checkin = raise_flag(maya, Alert.Kind.RISK_CHECKIN, "checkin", detail={"answer": 2})
    private = raise_flag(maya, Alert.Kind.RISK_WORDS, "journal", shared=False)

    page = as_alex.get(f"/clients/{maya.pk}/brief/")

    assert {a.pk for a in page.context["brief"].risk_flags} == {checkin.pk, private.pk}
    assert "Safety question in a check-in: “Yes, and I&#x27;m worried I might act on them”" in (
        page.text
    )
    assert "Risk words in a private journal entry — the client did not share it" in page.text
    assert page.text.count("Acknowledge with a note") == 2
    assert f'href="/alerts/{checkin.pk}/"' in page.text


def test_a_booster_alert_is_not_a_risk_flag_of_the_brief(as_alex, maya):
    raise_flag(maya, Alert.Kind.BOOSTER, "tapering")

    page = as_alex.get(f"/clients/{maya.pk}/brief/")

    assert page.context["brief"].risk_flags == []
    assert "No risk flags." in page.text


def test_an_acknowledged_flag_links_to_its_acknowledgement(as_alex, alex, maya):
    alert = raise_flag(maya, Alert.Kind.RISK_WORDS, "moment")
    flags.acknowledge(alert, by=alex, note="Talked it through.")

    page = as_alex.get(f"/clients/{maya.pk}/brief/")

    assert "See the acknowledgement" in page.text
    assert "Talked it through." not in page.text
