"""Booster alerts after tapering or discharge (maintain.boosters.check_boosters), on real rows."""

from django.core import mail
from django.core.management import call_command

from securebase.maintain.boosters import check_boosters, stepped_down_dates
from securebase.measures.models import Alert
from securebase.plan.models import Checkin
from tests.maintain.helpers import POST_9, PRE_18, days_ago, discharged, in_tapering, phq9


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


def test_a_risk_flag_after_discharge_raises_a_booster_and_emails_the_care_team(alex, maya):
    discharged(maya, alex, days=60)
    Alert.objects.create(client=maya, kind=Alert.Kind.RISK_CHECKIN, source_type="checkin")
    mail.outbox.clear()

    assert check_boosters() == 1

    (alert,) = boosters(maya)
    assert alert.detail["code"] == "risk"


def test_falling_felt_security_for_two_weeks_after_discharge_raises_a_booster(alex, maya):
    discharged(maya, alex, days=21)
    for day in range(22, 50):
        Checkin.objects.create(
            client=maya, completed_at=days_ago(day), mood=5, closeness=5, felt_security=8
        )
    for day in range(1, 21):
        Checkin.objects.create(
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
    import datetime as dt

    from django.utils import timezone

    from securebase.maintain import discharge
    from securebase.measures import domain as measures
    from securebase.measures.models import Alert

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
