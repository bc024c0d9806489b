import logging

from allauth.account.signals import password_reset
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import translation

from securebase.accounts import sessions, throttle
from securebase.audit.log import Action, record
from securebase.care.policy import forget_roles, practice_id_of

logger = logging.getLogger("securebase.accounts")


def _record_session(user, action: str, request, **detail) -> None:
    """Audit a sign-in, sign-out or failed sign-in of ``user``, in their practice's log."""
    record(
        actor=user,
        action=action,
        object_type="session",
        request=request,
        practice_id=practice_id_of(user),
        detail=detail,
    )


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.mark_started(request.session)
        throttle.forget(request, user.email)  # signed in: earlier failures from here stop counting
    if user.language:
        translation.activate(user.language)  # the welcome message is already in their language
    _record_session(user, Action.LOGIN, request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        _record_session(user, Action.LOGOUT, request)


@receiver(password_reset)
def on_password_reset(sender, request, user, **kwargs):
    # The emailed link proved who they are: a wait earned from this address no longer applies.
    throttle.forget(request, user.email)


def _record_failed_sign_in(email: str, request, **detail) -> None:
    """A failed sign-in of a known account, audited (never the password, never the email in
    clear); an unknown email is only logged, without itself."""
    user = get_user_model().objects.filter(email__iexact=email).first() if email else None
    if user is None:
        logger.info("failed sign-in for an unknown account")
        return
    _record_session(user, Action.LOGIN_FAILED, request, **detail)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    email = (credentials or {}).get("email") or (credentials or {}).get("username") or ""
    _record_failed_sign_in(email, request)


@receiver(throttle.login_throttled)
def on_login_throttled(sender, request, email, **kwargs):
    """A password refused unchecked because its (account, address) must still wait."""
    _record_failed_sign_in(throttle.normalised_email(email), request, throttled=True)


@receiver(authenticator_added)
def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    _authenticator_changed(user, authenticator, "added", request)


@receiver(authenticator_removed)
def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    _authenticator_changed(user, authenticator, "removed", request)


def _authenticator_changed(user, authenticator, event: str, request) -> None:
    """A second factor was ``"added"`` or ``"removed"``: roles are checked afresh, and audited."""
    forget_roles(user)
    record(
        actor=user,
        action=Action.SECURITY,
        object_type="mfa",
        object_id=authenticator.pk,
        request=request,
        practice_id=practice_id_of(user),
        detail={"event": event, "type": authenticator.type},
    )
