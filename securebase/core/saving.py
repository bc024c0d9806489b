"""Saving a web form through one domain call, with the domain's refusal put back on the form.

Every page that creates or edits a record does the same once its form is valid: it calls the
concept's domain function as the signed-in person and, when that refuses, shows the form again
with the reason. A new record is created once per submission id (:func:`save_new`: a different
submission under a used id is refused); an edit names the version it started from
(:func:`save_edit`: a stale save is shown beside the form, see :mod:`securebase.core.versioning`).
The view then redirects, or shows the page again with :func:`render_form`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.shortcuts import render

from securebase.core.errors import InputError
from securebase.core.idempotency import SubmissionKeyReused
from securebase.core.versioning import SavedVersion, StaleSave, refused_form


def add_refusal(form, exc: InputError) -> None:
    """Show the domain's refusal on the field it names (when the form has it), else above the form."""
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


def render_form(request, template: str, context: dict, form=None):
    """The page ``template`` with ``context``: status 400 when its form holds errors, else 200.

    The form is ``context["form"]`` unless given."""
    form = context["form"] if form is None else form
    return render(request, template, context, status=400 if form.errors else 200)


def save_new(
    request,
    form,
    create: Callable,
    *args,
    reused: str,
    error: type[Exception] | tuple = InputError,
    refuse: Callable = add_refusal,
    **kwargs,
):
    """The record made by ``create(*args, by=…, submission_id=…, request=…, **kwargs)``.

    ``create`` is the concept's domain function; it runs as the signed-in person under the valid
    ``form``'s submission id, and answers ``(record, created)``. The answer here is the record (the
    first one again for a retry of the same submission), or None: the domain refused (``error``,
    which ``refuse`` puts on the form) or the submission id came back with different answers
    (``reused`` is said above the form).
    """
    try:
        record, _created = create(
            *args,
            by=request.user,
            submission_id=form.cleaned_data["submission_id"],
            request=request,
            **kwargs,
        )
    except SubmissionKeyReused:
        form.add_error(None, reused)
    except error as exc:
        refuse(form, exc)
    else:
        return record
    return None


@dataclass
class Edit:
    """How a versioned save went: ``form`` to show again, or ``done`` with what ``save`` answered.

    ``refused`` is the stale save when someone saved in between, and ``stale`` the saved version
    the page shows beside the form (None when there is none to show).
    """

    form: object
    done: bool = False
    saved: object = None
    refused: StaleSave | None = None
    stale: SavedVersion | None = None


@dataclass(frozen=True)
class StaleNotice:
    """How a page shows a save refused as stale: ``message`` above the person's own input, and
    beside it the template ``show`` rendered with ``shown(refused)``; ``solo`` as for
    :func:`~securebase.core.versioning.refused_form`."""

    message: str
    show: str
    shown: Callable[[StaleSave], dict]
    solo: bool = False


def save_edit(
    request,
    form,
    save: Callable,
    *args,
    stale: StaleNotice,
    form_kwargs: dict | None = None,
    error: type[Exception] | tuple = InputError,
    refuse: Callable = add_refusal,
    **kwargs,
) -> Edit:
    """Save the valid ``form`` with ``save(*args, by=…, version=…, request=…, **kwargs)``.

    ``save`` is the concept's versioned save; it runs as the signed-in person from the version the
    form started from. A domain refusal (``error``) goes onto the form (by ``refuse``). A stale
    save comes back as the person's own input in a new form (made with ``form_kwargs``), shown as
    the page's ``stale`` notice says.
    """
    try:
        saved = save(
            *args,
            by=request.user,
            version=form.cleaned_data["version"],
            request=request,
            **kwargs,
        )
    except StaleSave as exc:
        form, shown = refused_form(
            request,
            exc,
            type(form),
            message=stale.message,
            show=stale.show,
            context=stale.shown(exc),
            solo=stale.solo,
            **(form_kwargs or {}),
        )
        return Edit(form, refused=exc, stale=shown)
    except error as exc:
        refuse(form, exc)
        return Edit(form)
    return Edit(form, done=True, saved=saved)
