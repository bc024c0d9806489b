from types import SimpleNamespace
from urllib.parse import quote, urlsplit

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils.encoding import force_str

from securebase.core.identifiers import normalise_email
from securebase.core.links import absolute_url, site_url


def configured_site() -> SimpleNamespace:
    """The site allauth's emails name ("Hello from …", the footer, the subject): SITE_URL's host,
    not the Host header of the request that sent them."""
    host = urlsplit(site_url()).netloc
    return SimpleNamespace(name=host, domain=host)


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs themselves up: clients arrive by invitation, clinicians are added by an admin."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def clean_email(self, email: str) -> str:
        # One spelling of an address (case, compatibility characters), as everywhere in the app.
        return normalise_email(super().clean_email(email))

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # A clinician sent to enrol two-factor straight after signing in is not asked for the
        # password a second time; changing or removing an existing authenticator still is.
        request = getattr(self, "request", None)
        user = getattr(request, "user", None)
        if (
            app == "allauth.mfa"
            and user is not None
            and user.is_authenticated
            and not Authenticator.objects.filter(user=user).exists()
        ):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def get_reset_password_from_key_url(self, key: str) -> str:
        # As allauth builds it, but on SITE_URL.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        super().send_mail(template_prefix, email, {**context, "current_site": configured_site()})

    def format_email_subject(self, subject: str) -> str:
        prefix = app_settings.EMAIL_SUBJECT_PREFIX
        if prefix is None:
            prefix = f"[{configured_site().name}] "
        return prefix + force_str(subject)
