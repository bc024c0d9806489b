"""Who may open the clinicians' and the practice admins' pages: the checks every such view starts
with, shared by the views of every app. Answers 404 to everyone else, as the policy does."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404

from securebase.care import policy
from securebase.care.models import Practice


def clinician_required(view):
    """Clinicians only (MFA is enforced by middleware before any view runs)."""

    @login_required
    def wrapper(request, *args, **kwargs):
        if not policy.can_create_clients(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def admin_practice(request) -> Practice:
    """The practice a practice admin (with MFA) manages; 404 for everyone else."""
    ids = sorted(policy.roles_of(request.user).admin_practices)
    if not ids or not policy.can_administer(request.user, ids[0]):
        raise Http404
    return Practice.objects.get(pk=ids[0])
