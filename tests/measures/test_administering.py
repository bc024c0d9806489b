"""Assigning a measure, a client answering it on their phone, scores, alerts and results."""

import uuid

import pytest

from securebase.audit.models import AuditEvent
from securebase.measures import domain
from securebase.measures.models import Administration, Score, Wording
from securebase.safety.models import Alert
from tests.conftest import sign_in

PHQ9_TEST_WORDING = {str(n): f"Test question {n} written for the test suite" for n in range(1, 10)}


@pytest.fixture
def phq9_wording(db):
    return Wording.objects.create(
        instrument_key="phq9",
        language="en",
        title="PHQ-9 (test wording)",
        questionnaire={"resourceType": "Questionnaire"},
        items=PHQ9_TEST_WORDING,
    )


def _answer_everything(web, administration, values):
    for step, value in enumerate(values):
        response = web.post(f"/home/answers/{administration.pk}/?step={step}", {"value": value})
        assert response.status_code == 302
    return response


def test_a_measure_without_loaded_wording_cannot_be_assigned(alex, maya):
    with pytest.raises(domain.MeasureError, match="wording of PHQ-9 is not loaded"):
        domain.assign(by=alex, client=maya, key="phq9")


def test_the_clinician_sees_why_a_measure_is_not_yet_available(as_alex, maya):
    response = as_alex.get(f"/clients/{maya.pk}/measures/")
    assert "securebase instruments import" in response.text


def test_a_client_answers_one_question_per_screen_and_the_scores_are_kept(
    as_alex, alex, maya, phq9_wording
):
    as_alex.post(f"/clients/{maya.pk}/measures/", {"instrument": "phq9", "schedule": "once"})
    assignment = maya.assignments.get()
    web = sign_in(maya.user)
    response = web.post(f"/home/questionnaires/{assignment.pk}/start/")
    administration = Administration.objects.get(assignment=assignment)
    assert response["Location"] == f"/home/answers/{administration.pk}/?step=0"

    page = web.get(response["Location"])
    assert "Question 1 of 9" in page.text
    assert "Test question 1 written for the test suite" in page.text

    last = _answer_everything(web, administration, [3, 0, 1, 2, 0, 0, 1, 0, 0])
    assert last["Location"] == f"/home/answers/{administration.pk}/?step=9"
    assert web.get(last["Location"])["Location"] == f"/home/answers/{administration.pk}/send/"
    sent = web.post(f"/home/answers/{administration.pk}/send/")
    assert sent["Location"] == "/home/questionnaires/"

    score = Score.objects.get(client=maya, subscale="total")
    assert (score.value, score.band) == (7, "Mild")
    assignment.refresh_from_db()
    assert assignment.active is False  # "once" is done


def test_leaving_and_coming_back_resumes_where_the_client_stopped(maya, alex, phq9_wording):
    assignment = domain.assign(by=alex, client=maya, key="phq9")
    web = sign_in(maya.user)
    web.post(f"/home/questionnaires/{assignment.pk}/start/")
    administration = Administration.objects.get(assignment=assignment)
    _answer_everything(web, administration, [1, 1, 1])
    again = web.post(f"/home/questionnaires/{assignment.pk}/start/")
    assert again["Location"] == f"/home/answers/{administration.pk}/?step=3"
    page = web.get(f"/home/answers/{administration.pk}/?step=1")
    assert 'value="1" checked' in page.text


def test_a_missing_answer_is_explained_and_nothing_is_lost(maya, alex, phq9_wording):
    assignment = domain.assign(by=alex, client=maya, key="phq9")
    web = sign_in(maya.user)
    web.post(f"/home/questionnaires/{assignment.pk}/start/")
    administration = Administration.objects.get(assignment=assignment)
    response = web.post(f"/home/answers/{administration.pk}/?step=0", {})
    assert response.status_code == 400
    assert "Choose one of the answers" in response.text
    response = web.post(f"/home/answers/{administration.pk}/?step=0", {"value": "7"})
    assert response.status_code == 400


def test_the_page_script_is_told_where_to_go_next_instead_of_redirected(maya, alex, phq9_wording):
    """answers.js would otherwise follow the redirect and the page load the question twice."""
    assignment = domain.assign(by=alex, client=maya, key="phq9")
    web = sign_in(maya.user)
    web.post(f"/home/questionnaires/{assignment.pk}/start/")
    administration = Administration.objects.get(assignment=assignment)
    url = f"/home/answers/{administration.pk}/?step=0"
    by_script = web.post(url, {"value": "2"}, headers={"X-Answer-Script": "1"})
    assert by_script.status_code == 200
    assert by_script.json() == {"next": f"/home/answers/{administration.pk}/?step=1"}
    plain = web.post(f"/home/answers/{administration.pk}/?step=1", {"value": "1"})
    assert plain.status_code == 302  # without the script, the form posts and follows as usual
    assert domain.answers_of(Administration.objects.get(pk=administration.pk))[""] == {
        "1": 2,
        "2": 1,
    }


def test_all_questions_on_one_page_keeps_partial_answers(maya, alex, phq9_wording):
    assignment = domain.assign(by=alex, client=maya, key="phq9")
    web = sign_in(maya.user)
    web.post(f"/home/questionnaires/{assignment.pk}/start/")
    administration = Administration.objects.get(assignment=assignment)
    response = web.post(f"/home/answers/{administration.pk}/?all=1", {":1": "2", ":2": "1"})
    assert response.status_code == 400
    assert "still unanswered" in response.text
    assert domain.answers_of(Administration.objects.get(pk=administration.pk)) == {
        "": {"1": 2, "2": 1}
    }


def test_sending_twice_scores_once(maya, alex, phq9_wording):
    assignment = domain.assign(by=alex, client=maya, key="phq9")
    administration = domain.start_or_resume(client=maya, assignment=assignment, by=maya.user)
    for n in range(1, 10):
        domain.save_answer(administration=administration, target="", item=n, value=1, by=maya.user)
    domain.complete(administration=administration, by=maya.user)
    domain.complete(administration=administration, by=maya.user)
    assert Score.objects.filter(administration=administration).count() == 1


def test_a_positive_risk_item_shows_support_and_alerts_the_care_team(
    as_alex, maya, alex, phq9_wording
):
    assignment = domain.assign(by=alex, client=maya, key="phq9")
    web = sign_in(maya.user)
    web.post(f"/home/questionnaires/{assignment.pk}/start/")
    administration = Administration.objects.get(assignment=assignment)
    _answer_everything(web, administration, [1, 1, 1, 1, 1, 1, 1, 1, 2])
    sent = web.post(f"/home/answers/{administration.pk}/send/")
    # The crisis lines and the safety plan answer the very POST, not a redirect.
    assert sent.status_code == 200
    assert "Your care team has been told and will be in touch." in sent.text
    assert 'href="tel:999"' in sent.text
    assert "emergency" in web.get("/support/").text

    alert = Alert.objects.get(client=maya)
    assert alert.detail == {"instrument": "phq9", "flags": ["risk:item9"]}
    page = as_alex.get(f"/clients/{maya.pk}/measures/")
    assert "Risk flag needs your attention" in page.text
    assert "Risk answer in PHQ-9 (item 9)" in page.text
    # Acknowledging takes a note: without one the alert stays open.
    assert as_alex.post(f"/clients/{maya.pk}/alerts/{alert.pk}/seen/").status_code == 400
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    done = as_alex.post(f"/clients/{maya.pk}/alerts/{alert.pk}/seen/", {"note": "Called; safe."})
    assert done["Location"] == f"/clients/{maya.pk}/measures/"
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledgement) == (alex, "Called; safe.")


def test_another_client_cannot_open_someone_elses_questionnaire(maya, priya, alex, phq9_wording):
    assignment = domain.assign(by=alex, client=maya, key="phq9")
    administration = domain.start_or_resume(client=maya, assignment=assignment, by=maya.user)
    other = sign_in(priya.user)
    assert other.post(f"/home/questionnaires/{assignment.pk}/start/").status_code == 404
    assert other.get(f"/home/answers/{administration.pk}/?step=0").status_code == 404
    assert other.post(f"/home/answers/{administration.pk}/send/").status_code == 404


def test_results_show_reliable_change_since_the_first_administration(as_alex, alex, maya):
    domain.record_administration(
        by=alex, client=maya, key="phq9", answers={"": {str(n): 2 for n in range(1, 10)}}
    )
    domain.record_administration(
        by=alex, client=maya, key="phq9", answers={"": {str(n): 0 for n in range(1, 10)}}
    )
    page = as_alex.get(f"/clients/{maya.pk}/measures/")
    assert "since first: recovered" in page.text  # 18 → 0 crosses the caseness cut-off of 10


def test_results_page_query_count_does_not_grow_with_history(
    as_alex, alex, maya, django_assert_num_queries
):
    def add():
        domain.record_administration(
            by=alex, client=maya, key="phq9", answers={"": {str(n): 1 for n in range(1, 10)}}
        )

    add()
    as_alex.get(f"/clients/{maya.pk}/measures/")
    with django_assert_num_queries(15):
        as_alex.get(f"/clients/{maya.pk}/measures/")
    for _ in range(5):
        add()
    with django_assert_num_queries(15):
        as_alex.get(f"/clients/{maya.pk}/measures/")


def test_recording_through_a_submission_id_is_idempotent(alex, maya):
    key = uuid.uuid4()
    answers = {"": {str(n): 1 for n in range(1, 10)}}
    first, created = domain.record_administration(
        by=alex, client=maya, key="phq9", answers=answers, submission_id=key
    )
    again, created_again = domain.record_administration(
        by=alex, client=maya, key="phq9", answers=answers, submission_id=key
    )
    assert (created, created_again) == (True, False)
    assert first.administration.pk == again.administration.pk


def test_a_paper_form_is_recorded_item_by_item_and_shown_by_number(as_alex, maya):
    data = {"key": "phq9", "submission_id": str(uuid.uuid4())}
    data.update({f":{n}": "1" for n in range(1, 10)})
    response = as_alex.post(f"/clients/{maya.pk}/measures/paper/", data)
    administration = Administration.objects.get(client=maya)
    assert response["Location"] == f"/clients/{maya.pk}/measures/{administration.pk}/"
    detail = as_alex.get(response["Location"])
    assert "items appear by number" in detail.text
    assert Score.objects.get(administration=administration).value == 9
    again = as_alex.post(f"/clients/{maya.pk}/measures/paper/", data)  # a resend
    assert again["Location"] == response["Location"]


def test_a_paper_form_with_a_bad_value_keeps_everything_typed(as_alex, maya):
    data = {"key": "phq9", ":1": "2", ":2": "9"}
    response = as_alex.post(f"/clients/{maya.pk}/measures/paper/", data)
    assert response.status_code == 400
    assert "item 2" in response.text
    assert 'value="9"' in response.text and 'value="2"' in response.text


def test_per_relationship_paper_forms_keep_only_the_relationships_answered(as_alex, maya):
    data = {"key": "ecr-rs"}
    data.update({f"partner:{n}": "4" for n in range(1, 10)})
    as_alex.post(f"/clients/{maya.pk}/measures/paper/", data)
    assert set(Score.objects.filter(client=maya).values_list("target", flat=True)) == {"partner"}


def test_administration_pages_answer_404_outside_the_care_team(as_sam, alex, maya):
    done, _ = domain.record_administration(
        by=alex, client=maya, key="phq9", answers={"": {str(n): 1 for n in range(1, 10)}}
    )
    url = f"/clients/{maya.pk}/measures/{done.administration.pk}/"
    assert as_sam.get(url).status_code == 404
    assert sign_in(maya.user).get(url).status_code == 404
    assert sign_in(alex).get(url).status_code == 200


def test_the_care_team_downloads_an_administration_as_fhir_and_it_is_audited(as_alex, alex, maya):
    done, _ = domain.record_administration(
        by=alex, client=maya, key="phq9", answers={"": {str(n): 1 for n in range(1, 10)}}
    )
    url = f"/clients/{maya.pk}/measures/{done.administration.pk}/fhir/"
    response = as_alex.get(url)
    assert response.status_code == 200
    assert response.json()["resourceType"] == "Bundle"
    assert "Maya" not in response.content.decode()
    assert AuditEvent.objects.filter(client_id=maya.pk, action="export").count() == 1
    assert sign_in(maya.user).get(url).status_code == 404


def test_the_plane_states_the_configured_quadrant_rule(as_alex, alex, maya, settings):
    settings.ATTACHMENT_QUADRANT_INCLUSIVE = True
    domain.record_administration(
        by=alex, client=maya, key="ecr-rs", answers={"partner": {str(n): 4 for n in range(1, 10)}}
    )
    page = as_alex.get(f"/clients/{maya.pk}/measures/")
    assert "high when the mean is ≥ 4" in page.text
    assert 'data-target="partner"' in page.text


def test_the_caseload_flags_a_client_with_an_unseen_risk_alert(as_alex, alex, maya):
    answers = {"": {str(n): (2 if n == 9 else 0) for n in range(1, 10)}}
    domain.record_administration(by=alex, client=maya, key="phq9", answers=answers)
    assert "1 risk alert" in as_alex.get("/caseload/").text
