from __future__ import annotations

from datetime import UTC, datetime

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from securebase.accounts import sessions
from securebase.care.policy import roles_of

EXPIRY_MESSAGES = {
    "idle": lambda: _(
        "You were signed out after a period of inactivity, to keep your data private."
    ),
    "absolute": lambda: _("Your session reached its time limit. Please sign in again."),
    "revoked": lambda: _("You were signed out because all your sessions were ended."),
}


def _signed_out_response(request):
    login = reverse("account_login")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Your session has ended. Sign in again.")}, status=401)
    if getattr(request, "htmx", False) or request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = login
        return response
    return redirect(f"{login}?next={request.path}")


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not hasattr(request, "auth_token"):
            session = request.session
            if sessions.STARTED not in session:
                sessions.mark_started(session)
            reason = sessions.expiry_reason(
                session,
                idle=sessions.idle_timeout_for(roles_of(user)),
                valid_after=user.sessions_valid_after,
            )
            if reason is not None:
                logout(request)
                messages.info(request, EXPIRY_MESSAGES[reason]())
                return _signed_out_response(request)
            if not sessions.is_background(request):
                sessions.touch(session)
        return self.get_response(request)


class UserLanguageMiddleware:
    """Signed-in people see the language chosen in their profile."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/readyz", "/api/", "/i18n/")


def passed_mfa(request) -> bool:
    """This session signed in with a second factor, or enrolled the first one itself."""
    records = get_authentication_records(request, request.user)
    if any(r.get("method") == "mfa" for r in records):
        return True
    started = request.session.get(sessions.STARTED)
    if started is None:
        return False
    return Authenticator.objects.filter(
        user=request.user,
        type=Authenticator.Type.TOTP,
        created_at__gte=datetime.fromtimestamp(started, tz=UTC),
    ).exists()


class RequireMfaMiddleware:
    """Clinicians and admins enrol and use TOTP before any page beyond account settings."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(MFA_EXEMPT_PREFIXES):
            roles = roles_of(user)
            if roles.needs_mfa and not roles.has_mfa:
                messages.info(
                    request,
                    _(
                        "Clinicians and practice admins must set up two-factor authentication "
                        "before seeing any client."
                    ),
                )
                return redirect("mfa_activate_totp")
            if roles.needs_mfa and not passed_mfa(request):
                logout(request)
                return redirect("account_login")
        return self.get_response(request)
