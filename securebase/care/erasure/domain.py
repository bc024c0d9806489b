"""Erasure and restriction: the client's rights over a record that must first be kept.

- **Erasure** (crypto-shredding). Once the record's retention period has run out (the last entry
  in it, plus ``RECORD_RETENTION_YEARS``; only for a discharged client), one practice admin asks
  and a second person of the practice confirms. Then the client's data key is destroyed: every
  word they or their clinicians wrote about them reads as empty from then on, in the database and
  in every backup restored later. The rows stay, so does the audit chain, which still verifies.
  The witness outside the database records it, so a restore of an older backup erases again.
- **Restriction** ("keep but don't process"): the record stays readable to the care team, the
  programme is paused (no reminder, nothing due) and nothing new is saved until it is lifted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, TextField, Value
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from securebase.accounts.sessions import sign_out_everywhere
from securebase.audit.checkpoints import erased_subjects, record_erasure
from securebase.audit.log import Action, record
from securebase.audit.models import AuditEvent
from securebase.care import policy
from securebase.care.models import Client, Practice
from securebase.core.crypto import (
    destroy_subject_key,
    encrypted_fields,
    is_subject_token,
    subject_path,
)
from securebase.core.errors import InputError, NotAllowed

WRITES = (Action.CREATE, Action.UPDATE, Action.DELETE)
# Asking for erasure or restricting processing is not an entry in the record: it does not restart
# the retention period.
OWN_EVENTS = ("erasure", "restriction")


class ErasureRefused(InputError):
    """Erasure is not possible (yet), with the reason for the person asking."""


@dataclass(frozen=True)
class ErasureCase:
    """One discharged client as the erasure page lists them (no clinical words, only dates)."""

    client: Client
    last_entry: date | None
    retention_ends: date | None
    requested_by: str
    requested_at: date | None

    @property
    def due(self) -> bool:
        return self.retention_ends is not None and self.retention_ends <= timezone.localdate()


def retention_ends(client: Client, last_entry: date | None) -> date | None:
    """When the record may be erased: the last entry plus the retention years (None while in
    care)."""
    if client.status != Client.Status.DISCHARGED or last_entry is None:
        return None
    years = settings.RECORD_RETENTION_YEARS
    try:
        return last_entry.replace(year=last_entry.year + years)
    except ValueError:  # 29 February
        return last_entry.replace(year=last_entry.year + years, day=28)


def _last_entries(client_ids) -> dict[uuid.UUID, date]:
    """The day of the newest write in each record, from the audit log (one query)."""
    rows = (
        AuditEvent.objects.filter(client_id__in=list(client_ids), action__in=WRITES)
        .exclude(object_type__in=OWN_EVENTS)
        .order_by()
        .values("client_id")
        .annotate(last=Max("at"))
    )
    return {row["client_id"]: timezone.localdate(row["last"]) for row in rows}


def _admin_practice(user) -> Practice:
    practices = sorted(policy.roles_of(user).admin_practices)
    if not practices or not policy.can_administer(user, practices[0]):
        raise Http404
    return Practice.objects.get(pk=practices[0])


def erasure_cases(user, *, request=None) -> list[ErasureCase]:
    """The practice's discharged and erased clients, for its admin (no clinical words)."""
    practice = _admin_practice(user)
    clients = list(
        Client.objects.filter(practice=practice, status=Client.Status.DISCHARGED)
        .select_related("erasure_requested_by")
        .order_by("created_at")
    )
    last = _last_entries(c.pk for c in clients)
    record(
        actor=user,
        action=Action.LIST,
        object_type="erasure",
        practice_id=practice.pk,
        request=request,
        detail={"count": len(clients)},
    )
    return [
        ErasureCase(
            client=c,
            last_entry=last.get(c.pk),
            retention_ends=retention_ends(c, last.get(c.pk)),
            requested_by=getattr(c.erasure_requested_by, "email", ""),
            requested_at=timezone.localdate(c.erasure_requested_at)
            if c.erasure_requested_at
            else None,
        )
        for c in clients
    ]


def erasure_case(user, client_id) -> ErasureCase:
    """One client as the erasure page shows them, for their practice's admin."""
    client = _client_of(_admin_practice(user), client_id)
    last = _last_entries([client.pk]).get(client.pk)
    return ErasureCase(
        client=client,
        last_entry=last,
        retention_ends=retention_ends(client, last),
        requested_by=getattr(client.erasure_requested_by, "email", ""),
        requested_at=timezone.localdate(client.erasure_requested_at)
        if client.erasure_requested_at
        else None,
    )


def _client_of(practice: Practice, client_id) -> Client:
    try:
        pk = uuid.UUID(str(client_id))
    except ValueError:
        raise Http404("No such client.") from None
    client = Client.objects.filter(practice=practice, pk=pk).first()
    if client is None:
        raise Http404("No such client.")
    return client


def _refuse_unless_due(client: Client) -> None:
    if client.erased_at is not None:
        raise ErasureRefused(_("This record was already erased."))
    if client.status != Client.Status.DISCHARGED:
        raise ErasureRefused(_("Only the record of a discharged client can be erased."))
    ends = retention_ends(client, _last_entries([client.pk]).get(client.pk))
    if ends is None or ends > timezone.localdate():
        raise ErasureRefused(
            _("The record must be kept until %(date)s (the retention period).")
            % {"date": ends.isoformat() if ends else "?"}
        )


def request_erasure(*, by, client_id, request=None) -> Client:
    """A practice admin asks for a record to be erased; a second person must confirm."""
    practice = _admin_practice(by)
    with transaction.atomic():
        client = _client_of(practice, client_id)
        client = Client.objects.select_for_update().get(pk=client.pk)
        _refuse_unless_due(client)
        if client.erasure_requested_at is not None:
            raise ErasureRefused(_("Erasure was already asked for; a second person confirms it."))
        _set_request(client, by, requested_by=by, event="requested", request=request)
    return client


def cancel_erasure(*, by, client_id, request=None) -> Client:
    """Withdraw an erasure request that was not confirmed yet."""
    practice = _admin_practice(by)
    with transaction.atomic():
        client = _client_of(practice, client_id)
        if client.erased_at is not None or client.erasure_requested_at is None:
            raise ErasureRefused(_("There is no erasure request to withdraw."))
        _set_request(client, by, requested_by=None, event="withdrawn", request=request)
    return client


def _set_request(client: Client, by, *, requested_by, event: str, request=None) -> None:
    client.erasure_requested_by = requested_by
    client.erasure_requested_at = timezone.now() if requested_by else None
    client.save(update_fields=["erasure_requested_by", "erasure_requested_at"])
    _audit(by, client, event, request)


def _audit(by, client: Client, event: str, request=None, *, kind="erasure", action=Action.UPDATE):
    """One event of this page's work: what happened to the record, never a word of it."""
    record(
        actor=by,
        action=action,
        object_type=kind,
        object_id=client.pk,
        client=client,
        request=request,
        detail={"event": event},
    )


def confirm_erasure(*, by, client_id, request=None) -> Client:
    """A second practice admin confirms: the client's data key is destroyed."""
    practice = _admin_practice(by)
    with transaction.atomic():
        client = (
            Client.objects.select_for_update().filter(pk=_client_of(practice, client_id).pk).get()
        )
        _refuse_unless_due(client)
        if client.erasure_requested_at is None:
            raise ErasureRefused(_("Erasure must first be asked for by a practice admin."))
        if client.erasure_requested_by_id == by.pk:
            raise NotAllowed(_("A second person must confirm the erasure you asked for."))
        _shred(client, by=by, request=request)
    return client


def _shred(client: Client, *, by, request=None, witnessed: bool = False) -> None:
    """Destroy the client's key and every identifying value kept outside it."""
    blank_words_outside_the_key(client)
    destroy_subject_key(client.pk)
    now = timezone.now()
    # The blind index would still say whether an address was this client's.
    Client.objects.filter(pk=client.pk).update(erased_at=now, email_index="")
    client.erased_at = now
    if client.user_id:
        user = get_user_model().objects.get(pk=client.user_id)
        sign_out_everywhere(user, revoke_tokens=True, request=request)
        user.name = ""
        user.email = f"erased-{client.pk.hex}@invalid"
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["name", "email", "is_active", "password"])
        user.emailaddress_set.all().delete()
    event = "erased again after a restore" if witnessed else "erased"
    _audit(by, client, event, request, action=Action.DELETE)
    if not witnessed:  # before the commit: a crash after it must not leave it unwitnessed
        record_erasure(client.pk)


def blank_words_outside_the_key(client: Client) -> int:
    """Empty the client's words still under the practice keys (written before data keys, or by a
    bulk update), so that destroying the key leaves nothing readable. Returns how many values."""
    blanked = 0
    for model, names in encrypted_fields():
        path = subject_path(model)
        if path is None:
            continue
        # The stored tokens themselves (a cast to plain text skips the field's decryption).
        raw = {f"raw_{n}": Cast(n, TextField()) for n in names}
        rows = model._default_manager.filter(**{path: client.pk}).annotate(**raw)
        for pk, *tokens in rows.values_list("pk", *raw):
            stale = [n for n, t in zip(names, tokens, strict=True) if t and not is_subject_token(t)]
            if stale:
                empty = {n: Value("", output_field=TextField()) for n in stale}
                model._default_manager.filter(pk=pk).update(**empty)
                blanked += len(stale)
    return blanked


def reapply_erasures() -> int:
    """After a restore: erase again every record the witness says was erased (an older backup
    still holds their keys). Returns how many records were erased again."""
    again = 0
    for subject in erased_subjects():
        client = Client.objects.filter(pk=subject, erased_at__isnull=True).first()
        if client is None:
            destroy_subject_key(uuid.UUID(subject))  # a key left without its record
            continue
        with transaction.atomic():
            _shred(client, by=None, witnessed=True)
        again += 1
    return again


def restrict(*, by, client: Client, request=None) -> Client:
    """Restrict processing: kept and readable, but nothing new is saved and nothing is sent."""
    _refuse_if_erased(client)
    now = timezone.now()
    with transaction.atomic():
        changes = {"restricted_at": now}
        if client.programme_paused_at is None:
            changes["programme_paused_at"] = now  # no reminder, nothing due
        Client.objects.filter(pk=client.pk, restricted_at__isnull=True).update(**changes)
        for name, value in changes.items():
            setattr(client, name, value)
        _audit(by, client, "restricted", request, kind="restriction")
    return client


def lift_restriction(*, by, client: Client, request=None) -> Client:
    """Processing may go on again (the programme stays paused until someone resumes it)."""
    _refuse_if_erased(client)
    with transaction.atomic():
        Client.objects.filter(pk=client.pk).update(restricted_at=None)
        client.restricted_at = None
        _audit(by, client, "lifted", request, kind="restriction")
    return client


def _refuse_if_erased(client: Client) -> None:
    if client.erased_at is not None:
        raise ErasureRefused(_("This record was erased."))


def _practice_client(user, client_id) -> Client:
    client = _client_of(_admin_practice(user), client_id)
    if client.erased_at is not None:
        raise Http404("No such client.")
    return client


def restrict_record(*, by, client_id, request=None) -> Client:
    """A practice admin restricts a record at the client's request (by its id)."""
    return restrict(by=by, client=_practice_client(by, client_id), request=request)


def lift_restriction_of(*, by, client_id, request=None) -> Client:
    return lift_restriction(by=by, client=_practice_client(by, client_id), request=request)
