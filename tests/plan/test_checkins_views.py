"""Check-in pages: the client's check-in and schedule, the care team's view of them."""

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone

from securebase.care.forms import ClientPreferencesForm
from securebase.plan.checkins import domain as checkins
from securebase.plan.models import Checkin, CheckinSchedule
from tests import factories
from tests.conftest import sign_in
from tests.factories import AssignmentFactory, CheckinFactory

ANSWERS = {"mood": "7", "closeness": "5", "felt_security": "6", "safety": "0", "skill": "breathing"}


def _post(web, **extra):
    return web.post("/home/check-in/", {**ANSWERS, "submission_id": str(uuid.uuid4()), **extra})


def _daily(client, by, times=("19:00",)):
    saved = checkins.set_schedule(
        client, by=by, cadence="daily", weekdays=[], times=list(times), remind=True,
        active=True, version=0,
    )  # fmt: skip
    CheckinSchedule.objects.filter(pk=saved.pk).update(
        starts_on=timezone.localdate() - dt.timedelta(days=10)
    )
    client.refresh_from_db()
    return saved


def test_the_check_in_form_has_three_rows_of_eleven_buttons_and_says_who_sees_them(as_maya):
    response = as_maya.get("/home/check-in/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="checkin-button"') == 33
    assert "Your care team sees your ratings and your answer to the safety question." in html
    assert 'name="submission_id"' in html


def test_a_client_checks_in_and_sees_a_calm_confirmation(as_maya, maya):
    response = _post(as_maya, note="Slept badly", note_shared="on")
    assert response.status_code == 302 and response["Location"] == "/home/check-in/done/"
    checkin = Checkin.objects.get(client=maya)
    assert (checkin.mood, checkin.closeness, checkin.felt_security) == (7, 5, 6)
    assert (checkin.skill, checkin.note, checkin.note_shared) == ("breathing", "Slept badly", True)
    done = as_maya.get("/home/check-in/done/").content.decode()
    assert "Thank you" in done and 'href="/home/check-ins/"' in done


def test_a_resent_form_never_duplicates(as_maya, maya):
    data = {**ANSWERS, "submission_id": str(uuid.uuid4())}
    as_maya.post("/home/check-in/", data)
    again = as_maya.post("/home/check-in/", data)
    assert again.status_code == 302
    assert Checkin.objects.filter(client=maya).count() == 1


def test_a_form_with_a_missing_rating_keeps_everything_chosen(as_maya, maya):
    response = as_maya.post(
        "/home/check-in/",
        {"mood": "7", "closeness": "5", "note": "Keep me", "submission_id": str(uuid.uuid4())},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Keep me" in html
    assert '<input type="radio" name="mood" value="7" id="id_mood_7" required checked>' in html
    assert not Checkin.objects.exists()


def test_the_missed_check_ins_offer_a_late_fill_in(alex, as_maya, maya):
    _daily(maya, alex, times=("03:00",))
    page = as_maya.get("/home/check-ins/").content.decode()
    assert "Missed check-ins" in page
    slot = checkins.missed_slots(maya)[-1]
    form = as_maya.get("/home/check-in/", {"due_at": slot.isoformat()}).content.decode()
    assert "It will be marked late" in form
    response = _post(as_maya, due_at=slot.isoformat())
    assert response.status_code == 302
    checkin = Checkin.objects.get(client=maya)
    assert (checkin.due_at, checkin.late) == (slot, True)


def test_after_checking_in_the_form_is_still_offered_and_a_second_check_in_is_kept(
    alex, as_maya, maya
):
    now = timezone.now()
    _daily(maya, alex, times=(now.strftime("%H:%M"),))
    assert _post(as_maya).status_code == 302
    page = as_maya.get("/home/check-in/").content.decode()
    assert "You already checked in for this time; you can check in again any time." in page
    assert "Send check-in" in page
    again = _post(as_maya)
    assert again.status_code == 302
    assert Checkin.objects.filter(client=maya).count() == 2
    assert Checkin.objects.filter(client=maya, due_at__isnull=True, late=False).count() == 1


def test_the_client_sets_the_schedule_in_their_time_zone(as_maya, maya):
    maya.time_zone = "Europe/Madrid"
    maya.save()
    page = as_maya.get("/home/check-in/schedule/").content.decode()
    assert "Europe/Madrid" in page and 'href="/home/choices/"' in page
    response = as_maya.post(
        "/home/check-in/schedule/",
        {"cadence": "custom", "weekdays": ["0", "3"], "time_1": "08:00", "time_2": "20:30",
         "remind": "on", "active": "on", "version": "0"},
    )  # fmt: skip
    assert response.status_code == 302
    saved = CheckinSchedule.objects.get(client=maya)
    assert (saved.cadence, saved.weekdays, saved.times) == ("custom", [0, 3], ["08:00", "20:30"])


def test_a_stale_schedule_save_is_refused_and_keeps_the_input(alex, as_maya, maya):
    _daily(maya, alex)
    response = as_maya.post(
        "/home/check-in/schedule/",
        {"cadence": "weekly", "weekdays": ["4"], "time_1": "10:00", "version": "0"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "changed by someone else" in html and 'value="10:00"' in html
    assert CheckinSchedule.objects.get(client=maya).cadence == "daily"


def test_the_schedule_page_lists_questionnaires_on_a_schedule(alex, as_alex, maya):
    AssignmentFactory(
        client=maya, instrument_key="phq9", schedule="fortnightly", next_due=timezone.localdate()
    )
    AssignmentFactory(
        client=maya, instrument_key="gad7", schedule="once", next_due=timezone.localdate()
    )
    page = as_alex.get(f"/clients/{maya.pk}/check-ins/schedule/").content.decode()
    assert "Questionnaires on a schedule" in page
    assert "Every two weeks" in page and "Once" not in page.split("Questionnaires on")[1]


def test_the_clinician_sets_the_schedule_with_the_client(as_alex, maya):
    response = as_alex.post(
        f"/clients/{maya.pk}/check-ins/schedule/",
        {"cadence": "daily", "time_1": "19:00", "remind": "on", "active": "on", "version": "0"},
    )
    assert response.status_code == 302
    assert CheckinSchedule.objects.get(client=maya).updated_by.email == "alex@example.org"


def test_the_clinician_sees_the_ratings_but_not_an_unshared_note(as_alex, maya):
    now = timezone.now()
    checkins.record_checkin(
        maya, by=maya.user, data={**ANSWERS, "note": "PRIVATE-NOTE", "note_shared": False},
        now=now - dt.timedelta(hours=2),
    )  # fmt: skip
    checkins.record_checkin(
        maya, by=maya.user, data={**ANSWERS, "mood": 2, "note": "SHARED-NOTE", "note_shared": True},
        now=now - dt.timedelta(hours=1),
    )  # fmt: skip
    html = as_alex.get(f"/clients/{maya.pk}/check-ins/").content.decode()
    assert "SHARED-NOTE" in html and "PRIVATE-NOTE" not in html
    assert html.count("checkin-item") == 2 and "2/10" in html


@pytest.mark.parametrize(
    "path",
    ["/clients/{id}/check-ins/", "/clients/{id}/check-ins/schedule/"],
)
def test_the_wrong_people_get_404_on_the_care_team_pages(as_sam, as_priya, as_maya, maya, path):
    url = path.format(id=maya.pk)
    assert [web.get(url).status_code for web in (as_sam, as_priya, as_maya)] == [404, 404, 404]
    assert as_sam.post(url, {"cadence": "daily"}).status_code == 404


def test_clinicians_have_no_check_in_form_of_their_own(as_alex, as_sam):
    assert as_alex.get("/home/check-in/").status_code == 404
    assert as_sam.post("/home/check-in/", ANSWERS).status_code == 404


def test_anonymous_people_are_sent_to_sign_in(client, maya):
    for url in ("/home/check-in/", "/home/check-ins/", f"/clients/{maya.pk}/check-ins/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def _check_ins(client, count):
    now = timezone.now()
    for n in range(count):
        CheckinFactory(
            client=client,
            completed_at=now - dt.timedelta(hours=n + 1),
            mood=5, closeness=5, felt_security=5, note=f"note {n}", note_shared=n % 2 == 0,
        )  # fmt: skip


@pytest.mark.parametrize("count", [3, 30])
def test_the_care_team_page_has_a_constant_number_of_queries(
    alex, maya, count, django_assert_num_queries
):
    _daily(maya, alex)
    _check_ins(maya, count)
    web = sign_in(alex)
    with django_assert_num_queries(15):
        response = web.get(f"/clients/{maya.pk}/check-ins/")
    assert response.content.decode().count("checkin-item") == count


def test_the_time_zone_choice_is_validated_against_the_known_zones():
    base = {"language": "en", "shares_by_default": "0", "pacing": "standard"}
    good = ClientPreferencesForm({**base, "time_zone": "Europe/Madrid"})
    bad = ClientPreferencesForm({**base, "time_zone": "Mars/Olympus"})
    assert good.is_valid() and good.cleaned_data["time_zone"] == "Europe/Madrid"
    assert not bad.is_valid() and "time_zone" in bad.errors


def test_the_time_zone_choice_offers_the_clients_current_zone():
    form = ClientPreferencesForm(initial={"time_zone": "Asia/Kathmandu"})
    assert form.fields["time_zone"].choices[0] == ("Asia/Kathmandu", "Asia/Kathmandu")


def test_another_client_cannot_reach_maya_through_her_own_pages(as_priya, maya, alex):
    factories.make_client(alex)
    _post(as_priya)
    assert not Checkin.objects.filter(client=maya).exists()


def test_the_second_time_is_marked_optional_once(as_maya, maya):
    page = as_maya.get("/home/check-in/schedule/")
    assert page.status_code == 200
    label = re.search(r"A second time[^<]*(<span[^>]*>[^<]*</span>)?</label>", page.text)
    assert label is not None
    assert label.group(0).count("(optional)") == 1, label.group(0)
