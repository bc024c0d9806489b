"""Shared builders for the maintenance tests: real rows, hand-built histories."""

import datetime as dt

from django.utils import timezone

from securebase.care.models import Client
from securebase.maintain import tapering
from securebase.maintain.models import Discharge, TaperingPhase
from tests.plan.test_progress import POST_9, PRE_18, days_ago, phq9  # noqa: F401


def discharged(client, by, days=60):
    """A client discharged ``days`` ago (status and record), summary left empty."""
    Client.objects.filter(pk=client.pk).update(status=Client.Status.DISCHARGED)
    client.refresh_from_db()
    return Discharge.objects.create(
        client=client,
        discharged_on=timezone.localdate() - dt.timedelta(days=days),
        discharged_by=by,
        summary="{}",
    )


def in_tapering(client, by, stepped_down_days=30):
    """A plan whose weekly phase ended and fortnightly phase started ``stepped_down_days`` ago."""
    plan = tapering.create_plan(
        client=client, by=by, start=timezone.localdate() - dt.timedelta(days=90)
    )
    phases = list(plan.phases.all())
    phases[0].started_at = days_ago(90)
    phases[0].ended_at = days_ago(stepped_down_days)
    phases[0].save()
    phases[1].started_at = days_ago(stepped_down_days)
    phases[1].save()
    return plan


def phase_kinds(plan):
    return list(TaperingPhase.objects.filter(plan=plan).values_list("kind", flat=True))
