"""The caseload's alerts within seconds: the banner and alerts column, polled every 10 seconds by a
background request that keeps no session alive, answering 204 when nothing changed."""

import json
import re
import time

from django.test import RequestFactory

from securebase.accounts import sessions
from securebase.audit.models import AuditEvent
from securebase.plan.caseload.domain import caseload_rows
from securebase.safety.flags import domain as flags
from securebase.safety.models import Alert
from tests.factories import bulk_caseload, raise_flag

POLL = {"HX-Request": "true", "X-Background": "1"}


def _labels(user, client):
    (row,) = [r for r in caseload_rows(user) if r.client.pk == client.pk]
    return [(a.kind, a.label) for a in row.alerts]


def _poll_attributes(html: str) -> dict:
    tag = re.search(r'<div id="caseload-alerts"[^>]*>', html).group(0)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag)) | dict(
        re.findall(r"([\w-]+)='([^']*)'", tag)
    )


# --- the column and the banner ---------------------------------------------------------------------


def test_every_open_risk_kind_counts_as_a_risk_alert(alex, maya):
    raise_flag(maya, Alert.Kind.RISK_ITEM, "administration")
    raise_flag(maya, Alert.Kind.RISK_CHECKIN, "checkin")
    raise_flag(maya, Alert.Kind.RISK_WORDS, "journal")

    assert _labels(alex, maya) == [("risk", "3 risk alerts")]


def test_an_open_booster_alert_shows_separately_as_booster_suggested(alex, maya):
    raise_flag(maya, Alert.Kind.RISK_WORDS, "moment")
    raise_flag(maya, Alert.Kind.BOOSTER, "tapering")

    assert _labels(alex, maya) == [("risk", "1 risk alert"), ("booster", "booster suggested")]


def test_the_banner_counts_every_open_alert_and_links_to_the_alerts_page(as_alex, alex, maya):
    raise_flag(maya, Alert.Kind.RISK_CHECKIN, "checkin")
    raise_flag(maya, Alert.Kind.BOOSTER, "tapering")
    acknowledged = raise_flag(maya, Alert.Kind.RISK_WORDS, "moment")
    flags.acknowledge(acknowledged, by=alex, note="Seen")

    page = as_alex.get("/caseload/")

    assert page.context["rows"].open_alerts == 2
    banner = page.text[page.text.index('id="caseload-alerts"') :]
    assert "2 open alerts" in banner
    assert 'href="/alerts/"' in banner


def test_without_open_alerts_the_banner_is_quiet(as_alex, maya):
    assert "No open alerts." in as_alex.get("/caseload/").text


def test_the_risk_alert_in_the_column_links_to_the_alerts_page(as_alex, maya):
    raise_flag(maya)
    html = as_alex.get("/caseload/").text
    cell = html[html.index(f'id="caseload-alerts-{maya.pk}"') :]
    assert cell[: cell.index("</td>")].count('href="/alerts/"') == 1


# --- polling ---------------------------------------------------------------------------------------


def test_the_caseload_polls_every_10_seconds_as_a_background_request(as_alex, maya):
    attributes = _poll_attributes(as_alex.get("/caseload/", {"missed_days": "5"}).text)

    assert attributes["hx-get"] == "/caseload/alerts/?missed_days=5"
    assert attributes["hx-trigger"] == "every 10s"
    request = RequestFactory().get(
        "/caseload/alerts/", headers=json.loads(attributes["hx-headers"])
    )
    assert sessions.is_background(request)


def test_a_poll_that_finds_nothing_new_answers_204(as_alex, maya):
    version = as_alex.get("/caseload/").context["rows"].alerts_version

    response = as_alex.get("/caseload/alerts/", {"version": version}, headers=POLL)

    assert response.status_code == 204
    assert response.content == b""


def test_a_poll_after_a_new_alert_brings_the_banner_and_the_clients_alerts(as_alex, maya):
    version = as_alex.get("/caseload/").context["rows"].alerts_version
    raise_flag(maya, Alert.Kind.RISK_CHECKIN, "checkin")

    response = as_alex.get("/caseload/alerts/", {"version": version}, headers=POLL)

    assert response.status_code == 200
    assert "1 open alert" in response.text
    assert f'<td id="caseload-alerts-{maya.pk}" data-label="Alerts" hx-swap-oob="true">' in (
        response.text
    )
    assert "1 risk alert" in response.text
    assert response.context["rows"].alerts_version != version


def test_a_poll_with_news_is_audited_as_a_caseload_read(as_alex, alex, maya):
    raise_flag(maya)
    as_alex.get("/caseload/alerts/", {"version": "stale"}, headers=POLL)

    event = AuditEvent.objects.filter(actor_id=alex.pk, object_type="caseload").latest("seq")
    assert (event.action, event.detail) == ("list", {"count": 1, "part": "alerts"})


def test_polling_does_not_keep_an_idle_session_alive(as_alex, maya):
    session = as_alex.session
    session[sessions.STARTED] = session[sessions.LAST_ACTIVE] = time.time() - 20 * 60
    session.save()

    assert as_alex.get("/caseload/alerts/", headers=POLL).status_code == 200
    assert time.time() - as_alex.session[sessions.LAST_ACTIVE] > 19 * 60


def test_a_poll_of_an_expired_session_sends_the_browser_to_sign_in(as_alex, maya):
    session = as_alex.session
    session[sessions.STARTED] = session[sessions.LAST_ACTIVE] = time.time() - 31 * 60
    session.save()

    response = as_alex.get("/caseload/alerts/", headers=POLL)

    assert response["HX-Redirect"] == "/accounts/login/"


def test_the_poll_address_opened_by_hand_shows_the_caseload(as_alex, maya):
    assert as_alex.get("/caseload/alerts/")["Location"] == "/caseload/?missed_days=3"


def test_sams_poll_shows_none_of_alexs_clients(as_sam, maya, priya):
    raise_flag(maya)

    response = as_sam.get("/caseload/alerts/", headers=POLL)

    assert [r.client.pk for r in response.context["rows"]] == [priya.pk]
    assert str(maya.pk) not in response.text
    assert "No open alerts." in response.text


def test_clients_cannot_poll(as_maya, maya):
    assert as_maya.get("/caseload/alerts/", headers=POLL).status_code == 404


def test_a_poll_keeps_the_same_query_count_from_4_to_40_clients(
    as_alex, alex, django_assert_num_queries
):
    bulk_caseload(alex, clients=4, weeks=8)
    as_alex.get("/caseload/")  # the first visit also starts this person's audit chain
    with django_assert_num_queries(12):
        news = as_alex.get("/caseload/alerts/", {"version": "stale"}, headers=POLL)
    version = news.context["rows"].alerts_version
    with django_assert_num_queries(7):
        assert as_alex.get("/caseload/alerts/", {"version": version}, headers=POLL).status_code == (
            204
        )

    bulk_caseload(alex, clients=36, weeks=104)
    with django_assert_num_queries(12):
        news = as_alex.get("/caseload/alerts/", {"version": "stale"}, headers=POLL)
    assert len(news.context["rows"]) == 40
    version = news.context["rows"].alerts_version
    with django_assert_num_queries(7):
        assert as_alex.get("/caseload/alerts/", {"version": version}, headers=POLL).status_code == (
            204
        )
