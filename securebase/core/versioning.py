"""Optimistic locking of shared documents (DESIGN.md section 5): a stale save is refused.

Each editable record carries a ``version`` and who saved it last (``updated_by``). A save names
the version the person started from; :func:`claim_version` makes one conditional UPDATE that both
checks it and claims the next number, so of two people saving from the same version exactly one
succeeds. The other gets :class:`StaleSave` with the record as it now is, and the web form is
shown again holding everything they typed, beside the saved version (:func:`refused_form` and
the partial ``_stale_save.html``).

A retry of one's own save (a double-submitted form, an API PUT sent again after its answer was
lost) arrives with the old version too. It is not someone else's save: when the record is exactly
one version on, saved by the same person, with the same content, :func:`claim_version` answers
with the saved record, and the save function writes nothing more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString


class StaleSave(Exception):
    """Someone saved after this edit began; their version is kept, not overwritten.

    ``current`` is the record as saved now (None when it no longer exists, or not yet).
    """

    def __init__(
        self, current: models.Model | None, message: str = "Saved elsewhere in the meantime."
    ):
        super().__init__(message)
        self.current = current


def is_own_retry(current: models.Model | None, *, version: int, by, same_content: bool) -> bool:
    """True when ``current`` is this person's own save from ``version`` of this same content.

    Then a save from ``version`` is a retry of that save: nothing to write and nothing stale.
    Someone else's save in between, or different content, is still a stale save.
    """
    if current is None or not same_content or current.version != version + 1:
        return False
    by_id = getattr(by, "pk", by)
    return by_id is not None and current.updated_by_id == by_id


def claim_version(
    queryset: models.QuerySet,
    pk,
    *,
    version: int,
    by,
    same_content: Callable[[models.Model], bool] | None = None,
    current: Callable[[], models.Model | None] | None = None,
    **changes,
) -> models.Model | None:
    """Claim version + 1 of row ``pk`` for a save by ``by`` from ``version``, writing ``changes``.

    Every versioned save starts here, inside its transaction. The answer is None when the version
    was claimed: the caller writes the rest of the save and its audit event. It is the saved
    record when this is ``by``'s own retry of the same content (``same_content(saved)``, by
    default: the saved record holds ``changes``): the caller answers with it and writes nothing.
    Anything else raises :class:`StaleSave` with the record as it now is (``current()`` reads
    it, by default ``queryset.get(pk=pk)``). The claim also stamps who saved and when.
    """
    if same_content is None:
        same_content = same_fields(changes)
    claimed = queryset.filter(pk=pk, version=version).update(
        version=version + 1, updated_by=by, **{"updated_at": timezone.now(), **changes}
    )
    if claimed == 1:
        return None
    found = current() if current is not None else queryset.filter(pk=pk).first()
    same = found is not None and same_content(found)
    if is_own_retry(found, version=version, by=by, same_content=same):
        return found
    raise StaleSave(found)


def same_fields(values: dict) -> Callable[[models.Model], bool]:
    """A ``same_content`` test for :func:`claim_version`: the saved record holds these values."""
    return lambda saved: all(getattr(saved, name) == value for name, value in values.items())


def rebound_form(form_class, data, *, version: int, message: str, field: str = "version", **kwargs):
    """The person's own input again, now based on ``version``, with the stale notice."""
    data = data.copy()
    data[field] = str(version)  # as the browser would send it
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, message)
    return form


# --- the web side: the refused form and the saved version beside it ----------------------------


@dataclass(frozen=True)
class SavedVersion:
    """The version saved now, as ``_stale_save.html`` shows it beside the refused form."""

    record: models.Model
    number: int
    saved_at: dt.datetime | None
    saved_by: object | None
    by_someone_else: bool
    shown: dict  # what the concept's template showed it with: ``stale["view"]`` and the like
    body: SafeString

    def __getitem__(self, name: str):
        return self.shown[name]


def refused_form(
    request,
    refused: StaleSave,
    form_class,
    *,
    message: str,
    show: str,
    context: dict | None = None,
    field: str = "version",
    solo: bool = False,
    **form_kwargs,
):
    """The form and the saved version for a page whose save was refused as stale.

    ``solo``: only its owner edits this record (a moment, an experiment), so the other save came
    from their other device. A shared document is shown as saved by someone else, as the page's
    message says, even when that was the same person in another tab.

    The form holds exactly what the person typed, with its ``field`` moved to the saved version
    (so a deliberate second save goes through) and ``message`` above it. The saved version is
    ``show`` (a template of the concept) rendered with ``context``; the page includes
    ``_stale_save.html`` with it as ``stale``. Returns ``(form, saved_version)``; the saved
    version is None when there is none to show (the record is gone, or not made yet).
    """
    current = refused.current
    number = current.version if current is not None else 0
    form = rebound_form(
        form_class, request.POST, version=number, message=message, field=field, **form_kwargs
    )
    if current is None:
        return form, None
    shown = context or {}
    saved_by = getattr(current, "updated_by", None)
    saved = SavedVersion(
        record=current,
        number=number,
        saved_at=getattr(current, "updated_at", None),
        saved_by=saved_by,
        by_someone_else=not solo or getattr(saved_by, "pk", None) != request.user.pk,
        shown=shown,
        body=SafeString(render_to_string(show, shown, request=request)),
    )
    return form, saved
