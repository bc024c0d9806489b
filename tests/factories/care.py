"""People and clients: builder functions (each makes one real object with sensible defaults, a
client through the care domain) and factories for plain rows."""

from __future__ import annotations

import itertools

import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from securebase.accounts.models import User
from securebase.care import domain
from securebase.care.models import CareTeamMember, Client, Membership, Practice

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery-42"


def make_practice(name: str | None = None) -> Practice:
    return Practice.objects.create(name=name or f"Practice {next(_seq)}")


def make_user(
    email: str | None = None, *, name: str = "", password: str = PASSWORD, **extra
) -> User:
    return User.objects.create_user(
        email or f"person{next(_seq)}@example.org", password, name=name, **extra
    )


def enrol_totp(user: User) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def make_clinician(
    practice: Practice, email: str | None = None, *, mfa: bool = True, name: str = ""
) -> User:
    user = make_user(email, name=name or "Clinician")
    Membership.objects.create(practice=practice, user=user, role=Membership.Role.CLINICIAN)
    if mfa:
        user.totp_secret = enrol_totp(user)
    return user


def make_admin(practice: Practice, email: str | None = None, *, mfa: bool = True) -> User:
    user = make_user(email, name="Admin")
    Membership.objects.create(practice=practice, user=user, role=Membership.Role.ADMIN)
    if mfa:
        user.totp_secret = enrol_totp(user)
    return user


def make_client(
    clinician: User,
    *,
    practice: Practice | None = None,
    name: str | None = None,
    email: str | None = None,
    with_account: bool = False,
    referral_reason: str = "Low mood after a move.",
) -> Client:
    practice = practice or Practice.objects.get(
        memberships__user=clinician, memberships__role=Membership.Role.CLINICIAN
    )
    n = next(_seq)
    client, _ = domain.create_client(
        by=clinician,
        practice=practice,
        data={
            "name": name or f"Client {n}",
            "email": email or f"client{n}@example.org",
            "language": "en",
            "referral_reason": referral_reason,
            "preferred_name": "",
        },
    )
    if with_account:
        user = make_user(client.email, name=client.name)
        client.user = user
        client.save(update_fields=["user"])
    return client


def has_mfa(user: User) -> bool:
    return Authenticator.objects.filter(user=user).exists()


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    name = factory.Sequence(lambda n: f"Factory practice {n}")


class ClientFactory(factory.django.DjangoModelFactory):
    """A bare client row (no care team, no audit event): for bulk data. A client as the app makes
    one is ``make_client``."""

    class Meta:
        model = Client

    practice = factory.SubFactory(PracticeFactory)
    name = factory.Sequence(lambda n: f"Row client {n}")
    email = factory.Sequence(lambda n: f"row-client{n}@example.org")


class CareTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareTeamMember

    client = factory.SubFactory(ClientFactory)
    clinician = factory.LazyAttribute(lambda o: make_clinician(o.client.practice, mfa=False))
    role = CareTeamMember.Role.MEMBER
