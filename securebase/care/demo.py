"""The demo practice: people and histories that show every feature built so far."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.db import transaction

from securebase.accounts.models import User
from securebase.care import domain
from securebase.care.models import CareTeamMember, Client, Membership, Practice
from securebase.measures.demo import load_histories

PRACTICE = "Demo Practice"
DEFAULT_PASSWORD = "demo-harbour-2026"  # noqa: S105 (printed for the demo)

STAFF = [
    # email, name, roles
    ("alex@demo.test", "Alex Morgan", [Membership.Role.CLINICIAN]),
    ("sam@demo.test", "Sam Whitfield", [Membership.Role.CLINICIAN]),
    ("admin@demo.test", "Robin Admin", [Membership.Role.ADMIN]),
]

# Our own invented people; any resemblance to real persons is accidental.
CLIENTS = [
    # clinician, name, preferred, email, language, account?, referral
    (
        "alex@demo.test",
        "Maya Okafor",
        "Maya",
        "maya@demo.test",
        "en",
        True,
        "Self-referred after a breakup; fears being 'too much' for people and checks her phone "
        "constantly when a partner goes quiet.",
    ),
    (
        "alex@demo.test",
        "Jordan Reyes",
        "Jordan",
        "jordan@demo.test",
        "en",
        True,
        "Couple work with Casey: repeated pursue-withdraw arguments since the birth of their child.",
    ),
    (
        "alex@demo.test",
        "Casey Reyes",
        "Casey",
        "casey@demo.test",
        "en",
        True,
        "Couple work with Jordan: shuts down during conflict, then feels guilty and alone.",
    ),
    (
        "sam@demo.test",
        "Priya Nair",
        "Priya",
        "priya@demo.test",
        "en",
        True,
        "GP referral: low mood and keeping everyone at arm's length at work and at home.",
    ),
    (
        "sam@demo.test",
        "Leo Brandt",
        "",
        "leo@demo.test",
        "en",
        False,
        "Grief after his father's death; says he 'should be over it by now'.",
    ),
    (
        "sam@demo.test",
        "Ana García",
        "Ana",
        "ana@demo.test",
        "es",
        True,
        "Ansiedad en las relaciones desde que se mudó lejos de su familia.",
    ),
]
COUPLE = ("jordan@demo.test", "casey@demo.test")


def backdate(obj, **fields) -> None:
    """Give a record that a domain function just made the demo's past dates (and keep ``obj`` in
    step).

    The domain functions stamp the current time, and time-machine is only a test dependency, so
    the demo's six months of history are dated afterwards with one UPDATE per record.
    """
    type(obj).objects.filter(pk=obj.pk).update(**fields)
    for name, value in fields.items():
        setattr(obj, name, value)


@dataclass
class DemoLogin:
    email: str
    role: str
    totp_secret: str | None = None


def _user(email: str, name: str, password: str, language: str = "en") -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, password, name=name, language=language)
    return user


def _ensure_totp(user: User) -> str:
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return decrypt(existing.data["secret"])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


@transaction.atomic
def load(password: str = DEFAULT_PASSWORD) -> list[DemoLogin]:
    """Create the demo practice, or leave it as it is if it exists (idempotent)."""
    practice, _ = Practice.objects.get_or_create(name=PRACTICE)
    logins: list[DemoLogin] = []
    staff: dict[str, User] = {}
    for email, name, roles in STAFF:
        user = _user(email, name, password)
        for role in roles:
            Membership.objects.get_or_create(practice=practice, user=user, role=role)
        staff[email] = user
        logins.append(DemoLogin(email, ", ".join(roles), _ensure_totp(user)))

    for clinician_email, name, preferred, email, language, has_account, referral in CLIENTS:
        clinician = staff[clinician_email]
        client = Client.objects.with_email(practice, email).first()
        if client is None:
            client, _ = domain.create_client(
                by=clinician,
                practice=practice,
                data={
                    "name": name,
                    "preferred_name": preferred,
                    "email": email,
                    "language": language,
                    # Ana lives in Madrid (plan/demo.py); everyone else in the UK.
                    "country": "ES" if email == "ana@demo.test" else "GB",
                    "referral_reason": referral,
                },
            )
        CareTeamMember.objects.get_or_create(
            client=client, clinician=clinician, defaults={"role": CareTeamMember.Role.LEAD}
        )
        if has_account and client.user_id is None:
            user = _user(email, name, password, language)
            client.user = user
            client.shares_by_default = email != "priya@demo.test"
            client.save(update_fields=["user", "shares_by_default"])
        if has_account:
            logins.append(DemoLogin(email, "client"))

    # Alex co-works with Sam on Ana's care, so Alex's caseload shows a client whose measures have
    # reliably deteriorated (the demo's third story, see securebase/plan/demo.py).
    CareTeamMember.objects.get_or_create(
        client=Client.objects.with_email(practice, "ana@demo.test").get(),
        clinician=staff["alex@demo.test"],
        defaults={"role": CareTeamMember.Role.MEMBER},
    )
    first, second = (Client.objects.with_email(practice, e).get() for e in COUPLE)
    if first.partner_id != second.pk:
        domain.link_partners(by=staff["alex@demo.test"], client=first, partner=second)

    load_histories(practice, staff)

    # The feature apps' demos import backdate (and COUPLE) from this module: a real cycle.
    from securebase.understand.demo import load as load_understand  # noqa: PLC0415

    load_understand(practice)

    from securebase.practise.demo import load as load_practise  # noqa: PLC0415 - imports this module

    load_practise(practice)

    from securebase.plan.demo import load as load_plan  # noqa: PLC0415 - imports this module

    load_plan(practice)

    from securebase.maintain.demo import load as load_maintain  # noqa: PLC0415 - imports this module

    load_maintain(practice)
    return logins
