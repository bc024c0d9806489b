"""Sign-in friction that is not a denial of service: wrong passwords slow down the (account,
address) they come from, never the real person signing in from somewhere else."""

import re
import time
from datetime import timedelta

from django.core import mail
from django.core.cache import cache
from django.test import Client as BrowserClient

from securebase.accounts import throttle
from securebase.accounts.totp import current_code
from securebase.audit.models import AuditEvent
from tests import factories

HOME = "198.51.100.7"  # the real person's address
ATTACKER = "203.0.113.9"
WRONG = "not-my-password-99"


def _sign_in(web, email, password, *, address, **headers):
    return web.post(
        "/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=address, **headers
    )


def _signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] != "/accounts/login/"


def _failed_sign_ins(user):
    return AuditEvent.objects.filter(actor_id=user.pk, action=AuditEvent.Action.LOGIN_FAILED)


def test_the_real_person_signs_in_while_an_attacker_elsewhere_has_failed_20_times(maya):
    attacker = BrowserClient()
    for attempt in range(20):
        # Four addresses, five wrong passwords each: every one of them checked and failed.
        address = f"203.0.113.{attempt % 4 + 1}"
        response = _sign_in(attacker, maya.user.email, WRONG, address=address)
        assert response.status_code == 200
    assert _failed_sign_ins(maya.user).count() == 20

    response = _sign_in(BrowserClient(), maya.user.email, factories.PASSWORD, address=HOME)

    assert _signed_in(response)


def test_an_address_that_keeps_failing_waits_longer_each_time_then_gets_in(maya, clock):
    web = BrowserClient()
    email = maya.user.email
    for _ in range(3):  # the first three cost nothing
        response = _sign_in(web, email, WRONG, address=ATTACKER)
        assert "not correct" in response.text
    _sign_in(web, email, WRONG, address=ATTACKER)  # the fourth earns a minute

    response = _sign_in(web, email, factories.PASSWORD, address=ATTACKER)
    assert response.status_code == 200
    assert "Too many failed attempts from this device. Try again in 1 minute." in response.text

    clock.shift(timedelta(seconds=61))
    _sign_in(web, email, WRONG, address=ATTACKER)
    response = _sign_in(web, email, factories.PASSWORD, address=ATTACKER)
    assert "Try again in 2 minutes." in response.text

    clock.shift(timedelta(minutes=2, seconds=1))
    _sign_in(web, email, WRONG, address=ATTACKER)
    response = _sign_in(web, email, factories.PASSWORD, address=ATTACKER)
    assert "Try again in 4 minutes." in response.text

    clock.shift(timedelta(minutes=4, seconds=1))
    assert _signed_in(_sign_in(web, email, factories.PASSWORD, address=ATTACKER))


def test_waits_double_from_one_minute_up_to_fifteen():
    waits = [throttle.delay_after(failures) for failures in range(1, 10)]
    assert waits == [0, 0, 0, 60, 120, 240, 480, 900, 900]


def test_a_password_during_the_wait_is_not_even_checked(maya):
    web = BrowserClient()
    for _ in range(4):
        _sign_in(web, maya.user.email, WRONG, address=ATTACKER)
    checked_before = _failed_sign_ins(maya.user).filter(detail={}).count()

    response = _sign_in(web, maya.user.email, WRONG, address=ATTACKER)

    assert "Try again in 1 minute." in response.text
    assert _failed_sign_ins(maya.user).filter(detail={}).count() == checked_before  # no check
    throttled = _failed_sign_ins(maya.user).get(detail={"throttled": True})
    assert throttled.ip == ATTACKER


def test_a_burst_sent_in_parallel_is_told_to_wait(maya, monkeypatch, rf):
    monkeypatch.setattr(throttle, "LOCK_TRIES", 1)
    monkeypatch.setattr(throttle, "LOCK_RETRY_SECONDS", 0)
    busy = rf.post("/accounts/login/", REMOTE_ADDR=ATTACKER)
    # Another attempt of the same (account, address) is being checked right now.
    with throttle.one_attempt_at_a_time(busy, maya.user.email) as alone:
        assert alone
        response = _sign_in(BrowserClient(), maya.user.email, factories.PASSWORD, address=ATTACKER)
        elsewhere = _sign_in(BrowserClient(), maya.user.email, factories.PASSWORD, address=HOME)

    assert "Try again in 1 minute." in response.text
    assert _signed_in(elsewhere)


def test_a_sign_in_clears_the_failures_of_its_address(maya, clock):
    web = BrowserClient()
    for _ in range(3):
        _sign_in(web, maya.user.email, WRONG, address=HOME)
    assert _signed_in(_sign_in(web, maya.user.email, factories.PASSWORD, address=HOME))
    web.post("/accounts/logout/", REMOTE_ADDR=HOME)

    # Three more mistakes are free again: no wait before the right password.
    for _ in range(3):
        _sign_in(web, maya.user.email, WRONG, address=HOME)
    assert _signed_in(_sign_in(web, maya.user.email, factories.PASSWORD, address=HOME))


def test_a_password_reset_lifts_the_wait_of_its_address(maya):
    web = BrowserClient()
    for _ in range(4):
        _sign_in(web, maya.user.email, WRONG, address=HOME)
    web.post("/accounts/password/reset/", {"email": maya.user.email}, REMOTE_ADDR=HOME)
    (link,) = re.findall(
        r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[-1].body
    )
    form = web.get(link, REMOTE_ADDR=HOME, follow=True)
    new_password = "a quiet lighthouse 77"
    web.post(
        form.redirect_chain[-1][0],
        {"password1": new_password, "password2": new_password},
        REMOTE_ADDR=HOME,
    )

    assert _signed_in(_sign_in(BrowserClient(), maya.user.email, new_password, address=HOME))


def test_the_email_is_never_stored_in_clear(maya):
    for _ in range(5):
        _sign_in(BrowserClient(), maya.user.email, WRONG, address=ATTACKER)
    keys = " ".join(str(key) for key in cache._cache)  # locmem's store, in tests
    assert "signin-throttle:" in keys
    assert maya.user.email not in keys
    for event in _failed_sign_ins(maya.user):
        assert maya.user.email not in str(event.detail)


def test_one_address_trying_many_accounts_is_stopped_after_20_failures(maya):
    web = BrowserClient()
    for number in range(20):
        _sign_in(web, f"someone{number}@example.org", WRONG, address=ATTACKER)

    response = _sign_in(web, maya.user.email, factories.PASSWORD, address=ATTACKER)

    assert "Too many failed login attempts" in response.text
    assert _signed_in(_sign_in(BrowserClient(), maya.user.email, factories.PASSWORD, address=HOME))


def test_the_wait_is_explained_in_spanish(maya):
    web = BrowserClient()
    for _ in range(4):
        _sign_in(web, maya.user.email, WRONG, address=ATTACKER, HTTP_ACCEPT_LANGUAGE="es")
    response = _sign_in(
        web, maya.user.email, factories.PASSWORD, address=ATTACKER, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert (
        "Demasiados intentos fallidos desde este dispositivo. "
        "Vuelve a intentarlo dentro de 1 minuto." in response.text
    )


def _wrong_codes(secret, how_many):
    """Codes valid in no period the tolerance accepts (this one and its neighbours)."""
    now = time.time()
    valid = {current_code(secret, at) for at in (now - 60, now - 30, now, now + 30, now + 60)}
    candidates = (f"{digit}" * 6 for digit in range(10))
    return [code for code in candidates if code not in valid][:how_many]


def test_the_right_code_gets_in_after_several_wrong_ones(alex):
    web = BrowserClient()
    response = _sign_in(web, alex.email, factories.PASSWORD, address=HOME)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    for code in _wrong_codes(alex.totp_secret, 6):
        response = web.post("/accounts/2fa/authenticate/", {"code": code}, REMOTE_ADDR=HOME)
        assert "Incorrect code" in response.text

    response = web.post(
        "/accounts/2fa/authenticate/", {"code": current_code(alex.totp_secret)}, REMOTE_ADDR=HOME
    )

    assert response.status_code == 302
    assert web.get("/caseload/", REMOTE_ADDR=HOME).status_code == 200


def test_wrong_codes_slow_the_next_password_from_that_address(alex):
    web = BrowserClient()
    _sign_in(web, alex.email, factories.PASSWORD, address=ATTACKER)
    for code in _wrong_codes(alex.totp_secret, 4):
        web.post("/accounts/2fa/authenticate/", {"code": code}, REMOTE_ADDR=ATTACKER)

    again = _sign_in(BrowserClient(), alex.email, factories.PASSWORD, address=ATTACKER)
    elsewhere = _sign_in(BrowserClient(), alex.email, factories.PASSWORD, address=HOME)

    assert "Try again in 1 minute." in again.text
    assert elsewhere["Location"] == "/accounts/2fa/authenticate/"


PROXY = "127.0.0.1"  # Caddy in front of the app: every request's REMOTE_ADDR


def test_behind_a_proxy_the_address_counted_is_the_one_the_proxy_passed_on(maya, settings):
    """With BEHIND_PROXY=1 (one trusted proxy), the attacker is slowed by their own address, even
    when they send a made-up X-Forwarded-For of their own, and the real person is not."""
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    attacker, email = BrowserClient(), maya.user.email
    for n in range(4):  # a new made-up address each time; the proxy appends the true one
        forwarded = f"10.0.0.{n}, {ATTACKER}"
        _sign_in(attacker, email, WRONG, address=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    waits = _sign_in(
        attacker, email, factories.PASSWORD, address=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER
    )
    home = _sign_in(
        BrowserClient(), email, factories.PASSWORD, address=PROXY, HTTP_X_FORWARDED_FOR=HOME
    )

    assert "Too many failed attempts from this device" in waits.text
    assert _signed_in(home)
    assert set(_failed_sign_ins(maya.user).values_list("ip", flat=True)) == {ATTACKER}
