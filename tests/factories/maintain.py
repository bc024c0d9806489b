"""Maintenance: tapering plans and phases, discharges and maintenance plans as plain rows; a plan
part-way through tapering, made through the tapering domain; a client discharged some days ago."""

import datetime as dt

import factory
from django.utils import timezone

from securebase.care.models import Client
from securebase.maintain import tapering
from securebase.maintain.models import Discharge, MaintenancePlan, TaperingPhase, TaperingPlan
from tests.factories.care import ClientFactory
from tests.factories.dates import days_ago


class TaperingPlanFactory(factory.django.DjangoModelFactory):
    """A bare plan row without phases (``tapering.create_plan`` adds the default ones)."""

    class Meta:
        model = TaperingPlan

    client = factory.SubFactory(ClientFactory)


class TaperingPhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaperingPhase

    plan = factory.SubFactory(TaperingPlanFactory)
    position = factory.Sequence(lambda n: n)
    kind = TaperingPhase.Kind.WEEKLY
    planned_start = factory.LazyFunction(timezone.localdate)


class DischargeFactory(factory.django.DjangoModelFactory):
    """A discharge record (the client's status is left alone: see ``discharged``)."""

    class Meta:
        model = Discharge

    client = factory.SubFactory(ClientFactory)
    discharged_on = factory.LazyFunction(timezone.localdate)
    summary = "{}"


class MaintenancePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MaintenancePlan

    client = factory.SubFactory(ClientFactory)


def discharged(client, by, days=60):
    """A client discharged ``days`` ago (status and record), summary left empty."""
    Client.objects.filter(pk=client.pk).update(status=Client.Status.DISCHARGED)
    client.refresh_from_db()
    return DischargeFactory(
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
    """The kinds of ``plan``'s phases, in order."""
    return list(TaperingPhase.objects.filter(plan=plan).values_list("kind", flat=True))
