"""The care team's view of a client's toolkit: shared tool uses, reframes and requests only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from securebase.care import policy
from securebase.practise.toolkit import domain


@login_required
def client_toolkit(request, client_id):
    """Read-only: what the client shared from the toolkit, and what seemed to help."""
    client = policy.get_client_for_care_team(request.user, client_id)
    shared = domain.shared_toolkit(request.user, client, request=request)
    return render(request, "practise/toolkit/clinician_toolkit.html", {"client": client, **shared})
