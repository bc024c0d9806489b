"""Booster alerts after tapering or discharge (maintain.boosters.check_boosters), on real rows."""

import datetime as dt
import io

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from securebase.care.models import Client
from securebase.maintain import discharge
from securebase.maintain.boosters import check_boosters, stepped_down_dates
from securebase.maintain.models import TaperingPhase
from securebase.measures import domain as measures
from securebase.safety.flags.domain import acknowledge
from securebase.safety.models import Alert
from tests.factories import (
    POST_9,
    PRE_18,
    AlertFactory,
    CheckinFactory,
    TaperingPhaseFactory,
    days_ago,
    discharged,
    in_tapering,
    phq9,
)


def boosters(client):
    return list(Alert.objects.filter(client=client, kind=Alert.Kind.BOOSTER))


def test_a_reliable_deterioration_after_discharge_raises_one_booster_even_when_run_twice(
    alex, maya
):
    phq9(alex, maya, POST_9, days_ago(120))
    discharged(maya, alex, days=60)
    phq9(alex, maya, PRE_18, days_ago(10))

    first, second = check_boosters(), check_boosters()

    (alert,) = boosters(maya)
    assert (first, second) == (1, 0)
    assert alert.source_type == "booster"
    assert alert.detail["code"] == "measure"
    assert alert.detail["instrument"] == "phq9"
    assert alert.detail["on"] == days_ago(10).date().isoformat()


def test_a_deterioration_before_stepping_down_raises_no_booster(alex, maya):
    phq9(alex, maya, POST_9, days_ago(120))
    phq9(alex, maya, PRE_18, days_ago(70))
    discharged(maya, alex, days=60)

    assert check_boosters() == 0
    assert boosters(maya) == []


def test_a_client_still_in_weekly_therapy_is_not_watched(alex, maya):
    phq9(alex, maya, POST_9, days_ago(120))
    phq9(alex, maya, PRE_18, days_ago(10))

    assert check_boosters() == 0
    assert stepped_down_dates() == {}


def test_tapering_starts_the_watch_on_the_day_of_the_first_step_down(alex, maya):
    phq9(alex, maya, POST_9, days_ago(120))
    in_tapering(maya, alex, stepped_down_days=30)
    phq9(alex, maya, PRE_18, days_ago(5))

    assert stepped_down_dates() == {maya.pk: days_ago(30).date()}
    assert check_boosters() == 1


def test_a_risk_flag_after_discharge_is_its_own_alert_and_raises_no_booster(alex, maya):
    discharged(maya, alex, days=60)
    AlertFactory(client=maya, kind=Alert.Kind.RISK_CHECKIN, source_type="checkin")
    mail.outbox.clear()

    assert check_boosters() == 0
    assert boosters(maya) == []
    assert mail.outbox == []


def test_falling_felt_security_for_two_weeks_after_discharge_raises_a_booster(alex, maya):
    discharged(maya, alex, days=21)
    for day in range(22, 50):
        CheckinFactory(
            client=maya, completed_at=days_ago(day), mood=5, closeness=5, felt_security=8
        )
    for day in range(1, 21):
        CheckinFactory(
            client=maya, completed_at=days_ago(day), mood=5, closeness=5, felt_security=4
        )

    assert check_boosters() == 1
    (alert,) = boosters(maya)
    assert (alert.detail["code"], alert.detail["before"], alert.detail["now"]) == (
        "checkins",
        8.0,
        4.0,
    )


def test_the_command_runs_the_check_in_process(alex, maya, capsys):
    phq9(alex, maya, POST_9, days_ago(120))
    discharged(maya, alex, days=60)
    phq9(alex, maya, PRE_18, days_ago(10))

    call_command("boosters", "--run")

    assert capsys.readouterr().out.strip() == "booster alerts raised 1"
    assert len(boosters(maya)) == 1


def test_the_command_enqueues_the_check_by_default(db, capsys):
    call_command("boosters")

    assert capsys.readouterr().out.startswith("booster check enqueued as task ")


def test_a_completed_measure_after_discharge_raises_the_booster_at_once(
    alex, maya, django_capture_on_commit_callbacks
):
    """No need to wait for the nightly job: the booster check runs when the data arrives."""
    before = timezone.now() - dt.timedelta(days=60)
    measures.record_administration(
        client=maya,
        by=alex,
        key="phq9",
        answers={"": {str(n): 1 for n in range(1, 9)} | {"9": 0}},
        completed_at=before,
    )
    discharge.discharge(client=maya, by=alex, on=(timezone.now() - dt.timedelta(days=30)).date())
    with django_capture_on_commit_callbacks(execute=True):
        measures.record_administration(
            client=maya,
            by=alex,
            key="phq9",
            answers={"": {str(n): 2 for n in range(1, 9)} | {"9": 0}},
        )
    (booster,) = Alert.objects.filter(client=maya, kind=Alert.Kind.BOOSTER)
    assert (booster.detail["code"], booster.detail["instrument"]) == ("measure", "phq9")


# --- the baseline: the last score before stepping down (not the intake score) -------------------

LOW_1 = (0, 0, 0, 0, 0, 0, 1, 0, 0)  # PHQ-9 total 1
NEAR_17 = (2, 2, 2, 2, 2, 2, 3, 2, 0)  # PHQ-9 total 17


def gad7(by, client, answer, at):
    """A GAD-7 from paper with every item answered ``answer`` (total 7 × answer)."""
    answers = {"": {str(n): answer for n in range(1, 8)}}
    measures.record_administration(
        by=by, client=client, key="gad7", answers=answers, completed_at=at
    )


def test_a_relapse_back_to_the_intake_score_after_recovering_raises_a_booster(alex, maya):
    phq9(alex, maya, PRE_18, days_ago(120))
    phq9(alex, maya, LOW_1, days_ago(70))
    discharged(maya, alex, days=60)
    phq9(alex, maya, PRE_18, days_ago(10))

    assert check_boosters() == 1
    (alert,) = boosters(maya)
    assert (alert.detail["code"], alert.detail["instrument"], alert.detail["on"]) == (
        "measure",
        "phq9",
        days_ago(10).date().isoformat(),
    )


def test_a_score_no_worse_than_at_stepping_down_raises_no_booster_though_worse_than_intake(
    alex, maya
):
    phq9(alex, maya, LOW_1, days_ago(120))
    phq9(alex, maya, PRE_18, days_ago(70))
    discharged(maya, alex, days=60)
    phq9(alex, maya, NEAR_17, days_ago(10))

    assert check_boosters() == 0


# --- one booster per episode ---------------------------------------------------------------------


def low_checkins(client, days, value):
    for day in days:
        CheckinFactory(
            client=client, completed_at=days_ago(day), mood=5, closeness=5, felt_security=value
        )


def test_running_the_check_three_times_in_a_week_as_check_ins_arrive_raises_one_booster(alex, maya):
    discharged(maya, alex, days=14)
    low_checkins(maya, range(15, 43), 8)
    low_checkins(maya, range(7, 15), 4)
    raised = [check_boosters()]
    for day in (5, 3):
        low_checkins(maya, [day], 4)
        raised.append(check_boosters())

    assert raised == [1, 0, 0]
    assert len(boosters(maya)) == 1


def test_later_deteriorated_scores_raise_no_second_booster(alex, maya):
    phq9(alex, maya, POST_9, days_ago(120))
    discharged(maya, alex, days=60)
    phq9(alex, maya, PRE_18, days_ago(30))
    assert check_boosters() == 1

    phq9(alex, maya, PRE_18, days_ago(20))
    phq9(alex, maya, PRE_18, days_ago(10))

    assert check_boosters() == 0
    assert [a.detail["code"] for a in boosters(maya)] == ["measure"]


def test_a_risk_flag_is_one_alert_and_no_job_raises_another_for_its_episode(alex, maya, clock):
    """A client who stepped down writes risk words: the risk alert is the one alert of that
    episode. No booster alert joins it while it is open, and once a clinician acknowledged it,
    running every scheduled job again raises nothing for what was already going on."""
    phq9(alex, maya, POST_9, days_ago(120))
    discharged(maya, alex, days=60)
    phq9(alex, maya, PRE_18, days_ago(2))  # deteriorated, in the same episode
    risk = AlertFactory(client=maya, kind=Alert.Kind.RISK_WORDS, source_type="journal")
    mail.outbox.clear()

    assert check_boosters() == 0
    acknowledge(risk, by=alex, note="Called her; session booked for tomorrow.")
    assert check_boosters() == 0
    for job in ("boosters", "reminders"):  # every scheduled job, run in this process
        call_command(job, "--run", stdout=io.StringIO())
    assert Alert.objects.filter(client=maya).count() == 1
    assert mail.outbox == []

    # A later, separate signal opens a new episode.
    clock.shift(dt.timedelta(days=3))
    phq9(alex, maya, POST_9, days_ago(0))
    clock.shift(dt.timedelta(days=4))
    phq9(alex, maya, PRE_18, days_ago(0))
    assert check_boosters() == 1


def test_two_measures_deteriorating_on_the_same_day_raise_two_boosters(alex, maya):
    phq9(alex, maya, POST_9, days_ago(120))
    gad7(alex, maya, 0, days_ago(120))
    discharged(maya, alex, days=60)
    phq9(alex, maya, PRE_18, days_ago(10))
    gad7(alex, maya, 2, days_ago(10))

    assert check_boosters() == 2
    assert sorted(a.detail["instrument"] for a in boosters(maya)) == ["gad7", "phq9"]


def acknowledged(alert, days):
    acknowledge(alert, by=None, note="Booster booked")
    Alert.objects.filter(pk=alert.pk).update(acknowledged_at=days_ago(days))


def test_a_new_drop_after_the_booster_was_acknowledged_raises_a_new_one(alex, maya):
    phq9(alex, maya, POST_9, days_ago(120))
    discharged(maya, alex, days=60)
    phq9(alex, maya, PRE_18, days_ago(30))
    assert check_boosters() == 1
    (first,) = boosters(maya)
    acknowledged(first, days=25)
    phq9(alex, maya, POST_9, days_ago(20))
    phq9(alex, maya, PRE_18, days_ago(5))

    assert check_boosters() == 1
    newest = Alert.objects.filter(client=maya, kind=Alert.Kind.BOOSTER, acknowledged_at=None)
    assert [a.detail["on"] for a in newest] == [days_ago(5).date().isoformat()]


def test_a_deterioration_still_under_way_after_acknowledgement_is_the_same_episode(alex, maya):
    phq9(alex, maya, POST_9, days_ago(120))
    discharged(maya, alex, days=60)
    phq9(alex, maya, PRE_18, days_ago(30))
    check_boosters()
    (first,) = boosters(maya)
    acknowledged(first, days=25)
    phq9(alex, maya, PRE_18, days_ago(5))

    assert check_boosters() == 0


def test_a_new_risk_flag_after_acknowledgement_is_a_new_alert_not_a_booster(alex, maya):
    discharged(maya, alex, days=60)
    first = AlertFactory(client=maya, kind=Alert.Kind.RISK_CHECKIN, source_type="checkin")
    acknowledge(first, by=alex, note="Talked it through; safety plan reviewed.")
    AlertFactory(client=maya, kind=Alert.Kind.RISK_CHECKIN, source_type="checkin")

    assert check_boosters() == 0
    assert Alert.objects.filter(client=maya, acknowledged_at=None).count() == 1


# --- re-referral: back in weekly sessions ends the old watch -------------------------------------


def start_phase(plan, kind, days):
    """Append a started phase of ``kind`` ``days`` ago, ending the one under way."""
    TaperingPhase.objects.filter(plan=plan, started_at__isnull=False, ended_at=None).update(
        ended_at=days_ago(days)
    )
    position = TaperingPhase.objects.filter(plan=plan).count()
    return TaperingPhaseFactory(
        plan=plan,
        position=position,
        kind=kind,
        planned_start=days_ago(days).date(),
        started_at=days_ago(days),
    )


def test_a_client_back_in_weekly_sessions_after_stepping_down_is_no_longer_watched(alex, maya):
    phq9(alex, maya, POST_9, days_ago(120))
    plan = in_tapering(maya, alex, stepped_down_days=30)
    start_phase(plan, "weekly", 15)
    phq9(alex, maya, PRE_18, days_ago(5))

    assert stepped_down_dates() == {}
    assert check_boosters() == 0


def test_stepping_down_again_after_a_re_referral_watches_from_the_new_step_down(alex, maya):
    plan = in_tapering(maya, alex, stepped_down_days=60)
    start_phase(plan, "weekly", 40)
    start_phase(plan, "fortnightly", 10)
    start_phase(plan, "monthly", 3)

    assert stepped_down_dates() == {maya.pk: days_ago(10).date()}


def test_a_discharged_client_made_active_again_with_a_new_weekly_phase_is_no_longer_watched(
    alex, maya
):
    plan = in_tapering(maya, alex, stepped_down_days=80)
    discharged(maya, alex, days=60)
    Client.objects.filter(pk=maya.pk).update(status=Client.Status.ACTIVE)
    start_phase(plan, "weekly", 20)
    AlertFactory(client=maya, kind=Alert.Kind.RISK_CHECKIN, source_type="checkin")

    assert stepped_down_dates() == {}
    assert check_boosters() == 0
