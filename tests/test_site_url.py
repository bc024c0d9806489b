"""Links sent by email start with SITE_URL, never with the Host of the request that sent them."""

import re
import uuid

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client as BrowserClient

from securebase.care import domain
from securebase.core.env import env_site_url
from securebase.safety.flags import domain as flags
from securebase.safety.models import Alert
from tests import factories

SITE = "https://care.example.net"


@pytest.fixture
def site_url(settings):
    settings.SITE_URL = SITE


def links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def test_the_invitation_link_uses_site_url(site_url, alex):
    newcomer = factories.make_client(alex, email="noor@example.org")
    sent = domain.invite_client(by=alex, client=newcomer)
    (message,) = mail.outbox
    assert sent.url.startswith(f"{SITE}/")
    assert links(message) == [sent.url]
    # The link works on the site itself.
    assert BrowserClient().get(sent.url.removeprefix(SITE)).status_code == 200


def test_the_password_reset_link_uses_site_url_not_the_request_host(site_url, settings, alex):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "10.0.0.5"]  # e.g. behind a proxy
    BrowserClient().post("/accounts/password/reset/", {"email": alex.email}, HTTP_HOST="10.0.0.5")
    (message,) = mail.outbox
    (link,) = [url for url in links(message) if "/password/reset/key/" in url]
    assert link.startswith(f"{SITE}/accounts/password/reset/key/")
    assert "10.0.0.5" not in message.body + message.subject
    assert "care.example.net" in message.subject


def test_the_risk_alert_link_uses_site_url(
    site_url, maya, alex, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alert, _created = flags.raise_flag(
            maya, kind=Alert.Kind.RISK_CHECKIN, source_type="checkin", source_id=uuid.uuid4()
        )
    (message,) = mail.outbox
    assert links(message) == [f"{SITE}/alerts/{alert.pk}/"]  # the alert itself


@pytest.mark.parametrize(
    ("env", "debug", "hosts", "https", "expected"),
    [
        ({}, True, [], False, "http://127.0.0.1:8000"),
        ({"PORT": "8080"}, True, [], False, "http://127.0.0.1:8080"),
        ({"PORT": "8080", "HOST": "0.0.0.0"}, True, [], False, "http://127.0.0.1:8080"),  # noqa: S104
        ({"SITE_URL": "https://a.example.org/"}, True, [], False, "https://a.example.org"),
        ({}, False, [".example.org", "sb.example.org"], True, "https://sb.example.org"),
        ({}, False, ["sb.example.org"], False, "http://sb.example.org"),
    ],
)
def test_site_url_defaults(monkeypatch, env, debug, hosts, https, expected):
    for name in ("SITE_URL", "PORT", "HOST"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert env_site_url("SITE_URL", debug=debug, allowed_hosts=hosts, https=https) == expected


def test_a_site_url_that_is_not_an_address_is_refused(monkeypatch):
    monkeypatch.setenv("SITE_URL", "securebase.example.org")
    with pytest.raises(ImproperlyConfigured, match="SITE_URL must be an address"):
        env_site_url("SITE_URL", debug=False, allowed_hosts=[], https=True)


def test_production_without_any_site_address_refuses_to_start(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SITE_URL is not set"):
        env_site_url("SITE_URL", debug=False, allowed_hosts=["*"], https=True)
