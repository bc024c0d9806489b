"""A practice's crisis lines: the shipped (or configured) file plus the practice's own entries,
which add to a country or replace one of its entries. Admins see every entry with its source and
the day it was read, are reminded of entries read more than a year ago, and add or remove their
own (audited). Clients and the API see the practice's lines through :func:`directory_for`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries as country_names
from pydantic import ValidationError

from securebase.audit.log import Action, record
from securebase.core.errors import InputError
from securebase.core.idempotency import parse_key
from securebase.safety.crisis_lines import resources
from securebase.safety.models import CrisisOverride

STALE_AFTER = dt.timedelta(days=365)


class OverrideError(InputError):
    """An entry that cannot be used, with what is wrong in words."""


def _in_force(practice_id):
    return CrisisOverride.objects.filter(practice_id=practice_id, removed_at__isnull=True)


def directory_for(practice_id) -> resources.Directory:
    """The crisis lines this practice's clients see (one query)."""
    if practice_id is None:
        return resources.directory()
    return _merged(list(_in_force(practice_id).order_by("created_at", "pk")))


def _merged(rows: list[CrisisOverride]) -> resources.Directory:
    found = resources.directory()
    if not rows:
        return found
    overrides = [
        (row.country, row.replaces, resources.Entry.model_validate(_entry_data(row.entry)))
        for row in rows
    ]
    return resources.with_overrides(found, overrides, _names({row.country for row in rows}))


def _entry_data(stored: dict) -> dict:
    """The stored JSON as the strict Entry model takes it (dates are stored as ISO text)."""
    data = dict(stored)
    data["checked"] = dt.date.fromisoformat(data["checked"])
    return data


def _names(codes) -> dict[str, dict[str, str]]:
    names = {}
    for code in codes:
        names[code] = {}
        for language in ("en", "es"):
            with translation.override(language):
                names[code][language] = str(country_names.name(code)) or code
    return names


@dataclass(frozen=True)
class AdminRow:
    country: str
    country_name: str
    entry: resources.Entry
    override: CrisisOverride | None  # the practice's own entry, or None for the file's
    stale: bool  # read more than STALE_AFTER ago
    coverage: str  # in the admin's language, "" when the source does not say


def admin_rows(practice_id, language: str, today: dt.date | None = None) -> list[AdminRow]:
    """Every entry the practice's clients can see, by country, with whose it is and whether it
    should be checked again."""
    today = today or timezone.localdate()
    rows = list(_in_force(practice_id).order_by("created_at", "pk"))
    own = {(row.country, row.entry.get("name")): row for row in rows}
    merged = _merged(rows)
    return [
        AdminRow(
            code,
            name,
            entry,
            own.get((code, entry.name)),
            today - entry.checked > STALE_AFTER,
            resources.worded(entry.coverage, language),
        )
        for code, name in resources.countries(language, source=merged)
        for entry in merged.countries[code].resources
    ]


def admin_overview(practice_id, language: str, *, by, request=None) -> list[AdminRow]:
    """:func:`admin_rows` for the admins' page, audited as a list."""
    rows = admin_rows(practice_id, language)
    record(
        actor=by,
        action=Action.LIST,
        object_type="crisis_lines",
        practice_id=practice_id,
        request=request,
        detail={"entries": len(rows), "stale": sum(1 for row in rows if row.stale)},
    )
    return rows


class NotFound(LookupError):
    """No such entry of this practice's (the page answers 404)."""


def override_of(practice_id, override_id) -> CrisisOverride:
    pk = parse_key(override_id)
    found = CrisisOverride.objects.filter(pk=pk, practice_id=practice_id).first() if pk else None
    if found is None:
        raise NotFound
    return found


def add_override(
    practice_id, *, by, country: str, replaces: str, entry: dict, request=None
) -> CrisisOverride:
    """Add the practice's own entry (or replace one of the country's), once it reads as a valid
    entry with a source and the day it was read; audited."""
    country = (country or "").strip().upper()
    if country != resources.FALLBACK and country not in country_names:
        raise OverrideError(_("Choose a country."))
    try:
        checked = resources.Entry.model_validate(_entry_data({**entry, "verified": True}))
    except ValidationError as exc:
        reasons = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'entry'}: {error['msg']}"
            for error in exc.errors()
        )
        raise OverrideError(
            _("This entry cannot be used: %(reason)s") % {"reason": reasons}
        ) from None
    except (ValueError, KeyError) as exc:
        raise OverrideError(_("This entry cannot be used: %(reason)s") % {"reason": exc}) from None
    if checked.checked > timezone.localdate():
        raise OverrideError(_("The day the source was read cannot be in the future."))
    found = resources.directory().countries.get(country)
    if replaces and (found is None or all(r.name != replaces for r in found.resources)):
        raise OverrideError(_("There is no entry of that name to replace in that country."))
    with transaction.atomic():
        row = CrisisOverride.objects.create(
            practice_id=practice_id,
            country=country,
            replaces=replaces,
            entry=checked.model_dump(mode="json", exclude_none=True),
            created_by=by,
        )
        record(
            actor=by,
            action=Action.CREATE,
            object_type="crisis_override",
            object_id=row.pk,
            practice_id=practice_id,
            request=request,
            detail={"country": country, "replaces": replaces, "source": str(checked.source)},
        )
    return row


def remove_override(row: CrisisOverride, *, by, request=None) -> CrisisOverride:
    with transaction.atomic():
        updated = CrisisOverride.objects.filter(pk=row.pk, removed_at__isnull=True).update(
            removed_at=timezone.now(), removed_by=by
        )
        row.refresh_from_db()
        if updated:
            record(
                actor=by,
                action=Action.DELETE,
                object_type="crisis_override",
                object_id=row.pk,
                practice_id=row.practice_id,
                request=request,
                detail={"country": row.country},
            )
    return row


def stale_count(practice_id, today: dt.date | None = None) -> int:
    """How many entries the practice's clients see were read more than a year ago."""
    today = today or timezone.localdate()
    merged = directory_for(practice_id)
    return sum(
        1
        for country in merged.countries.values()
        for entry in country.resources
        if today - entry.checked > STALE_AFTER
    )
