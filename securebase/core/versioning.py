"""Optimistic locking of shared documents (DESIGN.md section 5): a stale save is refused.

Each editable record carries a ``version``. A save names the version the person started from; one
conditional UPDATE both checks it and claims the next number, so of two people saving from the
same version exactly one succeeds. The other gets :class:`StaleSave` with the record as it now is,
and the form is shown again holding everything they typed (:func:`rebound_form`).
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


def rebound_form(form_class, data, *, version: int, message: str, field: str = "version", **kwargs):
    """The person's own input again, now based on the current version, with the stale notice."""
    data = data.copy()
    data[field] = str(version)  # as the browser would send it
    form = form_class(data, **kwargs)
    form.is_valid()
    form.add_error(None, message)
    return form
