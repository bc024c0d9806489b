"""Optimistic locking of shared documents (DESIGN.md section 5): a stale save is refused.

Each editable record carries a ``version``. A save names the version the person started from; one
conditional UPDATE both checks it and claims the next number, so of two people saving from the
same version exactly one succeeds. The other gets :class:`StaleSave` with the record as it now is,
and the form is shown again holding everything they typed (:func:`rebound_form`).

A retry of one's own save (a double-submitted form, an API PUT sent again after its answer was
lost) arrives with the old version too. It is not someone else's save: when the record is exactly
one version on, saved by the same person, with the same content, :func:`is_own_retry` says so and
the save function answers with the saved record instead of refusing or writing it a second time.
"""

from __future__ import annotations

from django.db import models


class StaleSave(Exception):
    """Someone saved after this edit began; their version is kept, not overwritten."""

    def __init__(self, current: models.Model, message: str = "Saved elsewhere in the meantime."):
        super().__init__(message)
        self.current = current


def claim_version(queryset: models.QuerySet, pk, version: int, **changes) -> bool:
    """Write ``changes`` and version + 1 if the row is still at ``version``; False if it is not."""
    return queryset.filter(pk=pk, version=version).update(version=version + 1, **changes) == 1


def is_own_retry(current: models.Model | None, *, version: int, by, same_content: bool) -> bool:
    """True when ``current`` is this person's own save from ``version`` of this same content.

    Then a save from ``version`` is a retry of that save: nothing to write and nothing stale.
    Someone else's save in between, or different content, is still a stale save.
    """
    if current is None or not same_content or current.version != version + 1:
        return False
    by_id = getattr(by, "pk", by)
    return by_id is not None and current.updated_by_id == by_id


def rebound_form(form_class, data, *, version: int, message: str, field: str = "version", **kwargs):
    """The person's own input again, now based on the current version, with the stale notice."""
    data = data.copy()
    data[field] = str(version)  # as the browser would send it
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, message)
    return form
