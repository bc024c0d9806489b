"""The care team's view of a client's toolkit: shared tool uses, reframes and requests only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Count, F, Q
from django.shortcuts import render

from securebase.audit.log import Action, record
from securebase.care import policy
from securebase.practise.models import Reframe, Request, ToolUse

LIMIT = 200


def what_helped_shared(uses_queryset) -> list[dict]:
    """Per tool, over the uses the caller may see: uses, rated uses, mean drop in intensity."""
    rated = Q(intensity_before__isnull=False, intensity_after__isnull=False)
    rows = (
        uses_queryset.order_by()
        .values("tool")
        .annotate(
            uses=Count("pk"),
            rated=Count("pk", filter=rated),
            drop=Avg(F("intensity_before") - F("intensity_after"), filter=rated),
        )
    )
    labels = dict(ToolUse.Tool.choices)
    summary = [
        {
            "code": row["tool"],
            "label": labels.get(row["tool"], row["tool"]),
            "uses": row["uses"],
            "rated": row["rated"],
            "mean_drop": None if row["drop"] is None else round(float(row["drop"]), 1),
        }
        for row in rows
    ]
    return sorted(summary, key=lambda item: (-item["uses"], str(item["label"])))


@login_required
def client_toolkit(request, client_id):
    """Read-only: what the client shared from the toolkit, and what seemed to help."""
    client = policy.get_client_for_care_team(request.user, client_id)
    uses_qs = policy.entries_visible_to(request.user, client, ToolUse.objects)
    uses = list(uses_qs.order_by("-created_at")[:LIMIT])
    helped = what_helped_shared(uses_qs)
    reframes = list(
        policy.entries_visible_to(request.user, client, Reframe.objects).order_by("-created_at")[
            :LIMIT
        ]
    )
    requests = list(
        policy.entries_visible_to(request.user, client, Request.objects).order_by("-created_at")[
            :LIMIT
        ]
    )
    record(
        actor=request.user,
        action=Action.LIST,
        object_type="toolkit",
        object_id=client.pk,
        client=client,
        request=request,
        detail={"tool_uses": len(uses), "reframes": len(reframes), "requests": len(requests)},
    )
    return render(
        request,
        "practise/toolkit/clinician_toolkit.html",
        {
            "client": client,
            "uses": uses,
            "helped": helped,
            "reframes": reframes,
            "requests": requests,
        },
    )
