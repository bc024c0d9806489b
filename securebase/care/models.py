"""Practices, the people in them, clients and their care teams (DESIGN.md sections 1 and 3)."""

import uuid
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from securebase.core.crypto import EncryptedJSONField, EncryptedTextField, create_subject_key
from securebase.core.identifiers import blind_index, blind_indexes, normalise_email
from securebase.core.modeling import acting_user


class Practice(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Practice admin")
        CLINICIAN = "clinician", _("Clinician")

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "user", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.practice}"


class ClientQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The clients this person may see; the one rule lives in securebase.care.policy."""
        from securebase.care import policy  # noqa: PLC0415 - care.policy imports this module

        return policy.filter_clients(self, user)

    def with_email(self, practice, email: str):
        """The practice's clients with this address, however it is spelt (``Maya@``, ``maya@``,
        fullwidth ``ｍａｙａ@``): the one way to look a client up by email, through the blind index
        (``practice`` None: in any practice, for commands and tests)."""
        found = self.filter(email_index__in=blind_indexes(email))
        return found if practice is None else found.filter(practice=practice)

    def update(self, **kwargs):
        if "email" in kwargs:  # the index follows the address
            kwargs["email"] = normalise_email(kwargs["email"])
            kwargs["email_index"] = blind_index(kwargs["email"])
        return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            create_subject_key(obj.pk)
            obj.index_email()
        return super().bulk_create(objs, *args, **kwargs)


class Client(models.Model):
    """A person in therapy. The record exists before the person has an account (invitation)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In therapy")
        PAUSED = "paused", _("Paused")
        DISCHARGED = "discharged", _("Discharged")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="clients")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="client_record",
    )
    # Names are encrypted like free text: sort them in Python (``by_name``), never in SQL.
    name = EncryptedTextField(_("full name"), max_length=150)
    preferred_name = EncryptedTextField(_("preferred name"), max_length=80, blank=True)
    # Encrypted; looked up only through its blind index (Client.objects.with_email).
    email = EncryptedTextField(_("email"), max_length=254)
    email_index = models.CharField(max_length=64, db_index=True, editable=False, default="")
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    referral_reason = EncryptedTextField(_("reason for referral"), blank=True)
    # Private by default: the client chooses at onboarding, and per entry later.
    shares_by_default = models.BooleanField(_("share new entries with my care team"), default=False)
    partner = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    # The client's own pause of the whole programme (no reminders, nothing due), separate from
    # the clinician-set status; set and cleared only by the client (securebase.care.choice.domain).
    programme_paused_at = models.DateTimeField(_("programme paused since"), null=True, blank=True)
    # The client's own words, used across the app: {"partner": "my person", "mother": "Mam", …}.
    preferred_terms = EncryptedJSONField(default=dict, blank=True)
    pacing = models.CharField(
        _("pacing"),
        max_length=8,
        choices=[("gentle", _("Gentle")), ("standard", _("Standard"))],
        default="standard",
    )
    # ISO 3166 code of the country the client lives in, whose crisis lines they see: asked by the
    # clinician on the record, changeable by the client on the safety plan page. Blank on records
    # from before it was asked: then the time zone's country, never the language's.
    country = models.CharField(_("country"), max_length=2, blank=True)
    # IANA name; check-in times and reminders follow the client's own clock.
    time_zone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    # Topics the client asked to approach only in session, in their words (free text, encrypted).
    in_session_only = EncryptedTextField(_("topics for sessions only"), blank=True)
    clinicians = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CareTeamMember", related_name="care_team_clients"
    )
    created_by = acting_user()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = acting_user()
    version = models.PositiveIntegerField(default=1)  # optimistic locking of edits
    # Restriction of processing (the client's right): kept, readable by the care team, but nothing
    # new is written and no reminder, check-in or detector runs for them (securebase.care.erasure).
    restricted_at = models.DateTimeField(null=True, blank=True)
    # Erased after the retention period: the data key is destroyed, so every word is unreadable.
    # One practice admin asks, a second person confirms (securebase.care.erasure).
    erasure_requested_by = acting_user(blank=True)
    erasure_requested_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = ClientQuerySet.as_manager()
    BLIND_INDEXES = {"email_index": "email"}  # rewritten by `securebase rotate-keys`
    # The client's own words are encrypted under the client's data key (securebase.core.crypto).
    data_subject = "pk"

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, update_fields=None, **kwargs):
        if self._state.adding:
            create_subject_key(self.pk)
        self.index_email()
        if update_fields is not None and "email" in update_fields:
            update_fields = {*update_fields, "email_index"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def index_email(self) -> None:
        """Normalise the address and set its blind index (every save does)."""
        self.email = normalise_email(self.email)
        self.email_index = blind_index(self.email) if self.email else ""

    @property
    def zone(self) -> ZoneInfo:
        """The client's own time zone (check-ins, reminders, "today"); the site's when the stored
        name is unknown, so a bad value never breaks a page."""
        try:
            return ZoneInfo(self.time_zone or settings.TIME_ZONE)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo(settings.TIME_ZONE)

    @property
    def country_name(self) -> str:
        """The country's name in the current language ("" when not chosen)."""
        return countries.name(self.country) if self.country else ""

    @property
    def display_name(self) -> str:
        if self.erased_at:
            return str(_("Erased client"))
        return self.preferred_name or self.name


def by_name(clients):
    """Clients by full name, as a list of them reads (names are encrypted, so the database cannot
    order them)."""
    return sorted(clients, key=lambda c: (c.name.casefold(), c.name, str(c.pk)))


class CareTeamMember(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead clinician")
        MEMBER = "member", _("Clinician")

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="care_team")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(max_length=8, choices=Role.choices, default=Role.MEMBER)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-role", "added_at"]
        constraints = [
            models.UniqueConstraint(fields=["client", "clinician"], name="care_team_unique_member")
        ]

    def __str__(self) -> str:
        return f"{self.clinician} on {self.client_id}"


class Invitation(models.Model):
    """A single-use link inviting a client to create their account. Only a hash is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invitations")
    email = EncryptedTextField(max_length=254)  # the client's address when invited
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = acting_user()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation to {self.email}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
