"""The fixed cast: Alex treats Maya; Sam is a colleague without access; Priya is
Sam's client; Jordan and Casey are a couple treated by Alex; Robin is the practice admin."""

import itertools
import os
import tempfile
from pathlib import Path

import pytest
import time_machine
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client as BrowserClient
from hypothesis import settings as hypothesis_settings

from securebase.care import demo, domain
from tests import factories
from tests.clock import FROZEN_NOW

# Property tests: a few examples each in the quick loop, hypothesis' full default in CI
# (`make test` sets HYPOTHESIS_PROFILE=thorough).
# No per-example deadline: on a busy machine a slow example is load, not a bug (speed has its own
# measured tests).
hypothesis_settings.register_profile("quick", max_examples=10, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=100, print_blob=True, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))


_WITNESSES = Path(tempfile.mkdtemp(prefix="securebase-test-witness-"))
_witness_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def audit_witness():
    """Each test its own audit witness directory (created on the first checkpoint), as its
    database changes are rolled back after it: a witness outlives only what it witnessed."""
    kept = settings.AUDIT_WITNESS_DIR
    settings.AUDIT_WITNESS_DIR = _WITNESSES / str(next(_witness_numbers))
    yield settings.AUDIT_WITNESS_DIR
    settings.AUDIT_WITNESS_DIR = kept


@pytest.fixture
def api_in_process(db, settings):
    """API requests sent through WSGI in this process (the fuzz tests), as Django's test client
    sends them: the test's database connection stays open, and schemathesis' host is allowed."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def practice(db):
    return factories.make_practice("Harbour Practice")


@pytest.fixture
def alex(practice):
    return factories.make_clinician(practice, "alex@example.org", name="Alex Morgan")


@pytest.fixture
def sam(practice):
    return factories.make_clinician(practice, "sam@example.org", name="Sam Whitfield")


@pytest.fixture
def robin(practice):
    return factories.make_admin(practice, "robin@example.org")


@pytest.fixture
def maya(alex):
    """Alex's client, with an account."""
    return factories.make_client(
        alex, name="Maya Okafor", email="maya@example.org", with_account=True
    )


@pytest.fixture
def priya(sam):
    """Sam's client, with an account: another client."""
    return factories.make_client(
        sam, name="Priya Nair", email="priya@example.org", with_account=True
    )


@pytest.fixture
def couple(alex):
    jordan = factories.make_client(
        alex, name="Jordan Reyes", email="jordan@example.org", with_account=True
    )
    casey = factories.make_client(
        alex, name="Casey Reyes", email="casey@example.org", with_account=True
    )
    domain.link_partners(by=alex, client=jordan, partner=casey)
    jordan.refresh_from_db()
    casey.refresh_from_db()
    return jordan, casey


def sign_in(user) -> BrowserClient:
    """A test client signed in as ``user``, as if through the full login (with MFA if enrolled)."""
    web = BrowserClient()
    web.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    session = web.session
    if factories.has_mfa(user):
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "mfa", "type": "totp", "at": 0}]
        session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()
    return web


@pytest.fixture
def as_alex(alex):
    return sign_in(alex)


@pytest.fixture
def as_sam(sam):
    return sign_in(sam)


@pytest.fixture
def as_robin(robin):
    return sign_in(robin)


@pytest.fixture
def as_maya(maya):
    return sign_in(maya.user)


@pytest.fixture
def as_priya(priya):
    return sign_in(priya.user)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and used TOTP codes live in the cache; each test starts clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def clock(request):
    """Every test runs on the frozen moment (tests/clock.py), the clock ticking on from there;
    ``clock.shift(timedelta)`` or ``clock.move_to(moment)`` moves it within a test. Browser and
    command-line tests are left on the real clock: the app they drive runs in another process."""
    if request.node.get_closest_marker("browser") or request.node.get_closest_marker("subprocess"):
        yield None
        return
    with time_machine.travel(FROZEN_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(scope="module")
def demo_practice(django_db_setup, django_db_blocker):
    """The demo practice, loaded once for a module on the frozen clock, inside a transaction that
    is rolled back after the module's last test (each test still rolls back its own changes)."""
    with (
        django_db_blocker.unblock(),
        time_machine.travel(FROZEN_NOW, tick=True),
        transaction.atomic(),
    ):
        demo.load()
        yield
        transaction.set_rollback(True)


# Fixtures through which a test reaches the database (pytest-django's, and the demo practice).
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "demo_practice"}


def pytest_collection_modifyitems(config, items):
    """With SECUREBASE_DATABASE_TESTS_ONLY=1 (the PostgreSQL run), leave out the tests that never
    touch the database: scoring, the risk lexicon and the like already ran on SQLite, and would
    only run again unchanged."""
    if os.environ.get("SECUREBASE_DATABASE_TESTS_ONLY") != "1":
        return
    kept, left_out = [], []
    for item in items:
        uses_database = item.get_closest_marker("django_db") or DATABASE_FIXTURES.intersection(
            getattr(item, "fixturenames", ())
        )
        (kept if uses_database else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
