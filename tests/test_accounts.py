import re
import time

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.test import Client as BrowserClient

import securebase.settings as production
from securebase.accounts import sessions, tokens
from securebase.accounts.totp import current_code
from securebase.audit.models import AuditEvent
from tests import factories
from tests.conftest import sign_in


def _sign_in_with_password(web, email, password=factories.PASSWORD):
    return web.post("/accounts/login/", {"login": email, "password": password})


def test_a_clinician_signs_in_with_password_and_totp(alex, maya):
    web = BrowserClient()
    response = _sign_in_with_password(web, alex.email)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert web.get("/caseload/").status_code == 302  # not signed in yet

    response = web.post("/accounts/2fa/authenticate/", {"code": current_code(alex.totp_secret)})
    assert response.status_code == 302
    assert web.get("/caseload/").status_code == 200


def test_a_wrong_totp_code_is_refused(alex):
    web = BrowserClient()
    _sign_in_with_password(web, alex.email)
    response = web.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200
    assert "Incorrect code" in response.text


def test_a_clinician_without_totp_must_enrol_before_anything_else(practice):
    newcomer = factories.make_clinician(practice, "new@example.org", mfa=False)
    web = BrowserClient()
    _sign_in_with_password(web, newcomer.email)
    response = web.get("/caseload/")
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    assert web.get("/account/")["Location"] == "/accounts/2fa/totp/activate/"


def test_a_clinician_session_that_skipped_mfa_is_ended(alex):
    web = BrowserClient()
    web.force_login(alex, backend="allauth.account.auth_backends.AuthenticationBackend")
    response = web.get("/caseload/")
    assert response["Location"] == "/accounts/login/"


def test_unknown_and_known_emails_get_the_same_password_reset_answer(alex):
    web = BrowserClient()
    known = web.post("/accounts/password/reset/", {"email": alex.email})
    unknown = web.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [m.to for m in mail.outbox] == [[alex.email]]


def test_wrong_password_and_unknown_email_get_the_same_message(alex):
    web = BrowserClient()
    wrong = _sign_in_with_password(web, alex.email, "wrong password")
    unknown = _sign_in_with_password(web, "nobody@example.org", "wrong password")
    assert "not correct" in wrong.text
    assert wrong.context["form"].errors == unknown.context["form"].errors


def test_password_reset_links_last_one_hour():
    assert settings.PASSWORD_RESET_TIMEOUT == 3600


def test_passwords_are_hashed_with_argon2id(maya):
    hasher = identify_hasher(maya.user.password)
    assert hasher.algorithm == "argon2"
    assert maya.user.password.startswith("argon2$argon2id$")


def test_production_settings_hash_with_argon2_first():
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def _age_session(web, *, started=0.0, idle=0.0):
    session = web.session
    now = time.time()
    session[sessions.STARTED] = now - started
    session[sessions.LAST_ACTIVE] = now - idle
    session.save()


def test_a_clinician_is_signed_out_after_30_minutes_idle(as_alex):
    _age_session(as_alex, started=31 * 60, idle=31 * 60)
    response = as_alex.get("/caseload/")
    assert response["Location"].startswith("/accounts/login/")
    assert as_alex.get("/caseload/")["Location"].startswith("/accounts/login/")


def test_a_client_keeps_a_session_idle_for_30_minutes(as_maya):
    _age_session(as_maya, started=31 * 60, idle=31 * 60)
    assert as_maya.get("/home/").status_code == 200


def test_every_session_ends_after_12_hours_however_active(as_maya):
    _age_session(as_maya, started=12 * 3600 + 1, idle=0)
    assert as_maya.get("/home/")["Location"].startswith("/accounts/login/")


def test_background_polling_does_not_keep_a_session_alive(as_alex):
    _age_session(as_alex, started=20 * 60, idle=20 * 60)
    as_alex.get("/caseload/", headers={"X-Background": "1"})
    last_active = as_alex.session[sessions.LAST_ACTIVE]
    assert time.time() - last_active > 19 * 60
    as_alex.get("/caseload/")
    assert time.time() - as_alex.session[sessions.LAST_ACTIVE] < 5


def test_htmx_requests_of_an_expired_session_are_redirected_by_htmx(as_alex):
    _age_session(as_alex, started=31 * 60, idle=31 * 60)
    response = as_alex.get("/caseload/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == "/accounts/login/"


def test_sign_out_everywhere_ends_other_sessions(maya):
    phone, laptop = sign_in(maya.user), sign_in(maya.user)
    time.sleep(0.01)
    phone.post("/account/sign-out-everywhere/")
    assert laptop.get("/home/")["Location"].startswith("/accounts/login/")
    assert phone.get("/home/")["Location"].startswith("/accounts/login/")
    # A new sign-in afterwards works.
    assert sign_in(maya.user).get("/home/").status_code == 200


def test_sign_out_everywhere_offers_to_revoke_api_tokens_unticked(as_maya):
    page = as_maya.get("/account/").text
    assert "Also revoke my API tokens (apps using them stop working)" in page
    box = re.search(r"<input[^>]*name=\"revoke_tokens\"[^>]*>", page).group(0)
    assert 'type="checkbox"' in box
    assert "checked" not in box


def test_sign_out_everywhere_keeps_api_tokens_unless_asked(as_maya, maya):
    token, secret = tokens.create_token(maya.user, name="phone")
    as_maya.post("/account/sign-out-everywhere/")
    assert tokens.authenticate(secret) == token


def test_sign_out_everywhere_can_revoke_every_api_token(maya):
    phone, laptop = sign_in(maya.user), sign_in(maya.user)
    (read, read_secret), (write, write_secret) = (
        tokens.create_token(maya.user, name="phone"),
        tokens.create_token(maya.user, name="script", scope="write"),
    )

    response = phone.post("/account/sign-out-everywhere/", {"revoke_tokens": "1"})

    assert tokens.authenticate(read_secret) is None
    assert tokens.authenticate(write_secret) is None
    assert laptop.get("/home/")["Location"].startswith("/accounts/login/")
    follow = phone.get(response["Location"])
    assert "your API tokens no longer work" in follow.text
    revoked = AuditEvent.objects.filter(
        actor_id=maya.user.pk, object_type="api_token", detail={"event": "token_revoked"}
    )
    assert sorted(e.object_id for e in revoked) == sorted([str(read.pk), str(write.pk)])


def test_api_tokens_are_shown_once_and_revocable_from_the_account_page(as_maya, maya):
    response = as_maya.post("/account/tokens/", {"name": "phone", "scope": "read", "days": 30})
    secret = response.context["new_secret"]
    assert secret.startswith("sb_")
    assert secret not in as_maya.get("/account/").text
    token = maya.user.api_tokens.get()
    as_maya.post(f"/account/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize("days", ["0", "400", "soon"])
def test_bad_token_lifetimes_are_explained(as_maya, days):
    response = as_maya.post("/account/tokens/", {"name": "phone", "scope": "read", "days": days})
    assert response.status_code == 400
    assert response.context["token_form"].errors["days"]


def test_the_profile_language_switches_the_interface(as_maya, maya):
    as_maya.post("/account/", {"profile-name": "Maya", "profile-language": "es"})
    response = as_maya.get("/home/")
    assert response["Content-Language"] == "es"


def test_nobody_can_sign_up_without_an_invitation(client, db):
    response = client.get("/accounts/signup/")
    assert "Sign Up Closed" in response.text or response.status_code in (403, 404)


def test_a_new_clinician_enrols_totp_right_after_signing_in_and_reaches_the_caseload(practice):
    newcomer = factories.make_clinician(practice, "new@example.org", mfa=False)
    web = BrowserClient()
    _sign_in_with_password(web, newcomer.email)
    page = web.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    assert "Authenticator secret" in page.text  # no second password prompt first
    secret = page.context["form"].secret
    response = web.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert web.get("/caseload/").status_code == 200
