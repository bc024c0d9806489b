"""The progress pages: the client's /home/progress/ and the care team's /clients/<id>/progress/."""

import uuid

import pytest

from tests.conftest import sign_in
from tests.factories import (
    POST_9,
    PRE_18,
    ExperimentFactory,
    PersonFactory,
    PersonRatingFactory,
    attempt,
    checkin,
    days_ago,
    make_goal,
    make_ladder,
    phq9,
    rate,
)


def person(client, shared=True):
    someone = PersonFactory(client=client, name="Sol", circle="inner", shared=shared)
    for n in range(2):
        PersonRatingFactory(
            person=someone, reassurance=n, criticism=2, withdrawal=3 - n, reliability=1
        )
    return someone


def test_the_client_sees_their_progress_with_milestones_first(as_maya, alex, maya):
    phq9(alex, maya, PRE_18, days_ago(60))
    phq9(alex, maya, POST_9, days_ago(2))
    response = as_maya.get("/home/progress/")
    assert response.status_code == 200
    html = response.text
    assert html.index('id="milestones-heading"') < html.index('id="checkins-heading"')
    assert "A reliable improvement on PHQ-9 since you started." in html
    assert 'id="chart-measure-phq9-all"' in html
    assert response.context["progress"].own is True


def test_the_clinician_sees_the_same_page_without_unshared_practice(as_alex, alex, maya):
    ExperimentFactory(client=maya, belief="Nobody will come", belief_before=80, done_at=days_ago(2))
    ExperimentFactory(
        client=maya, belief="They will be cross", belief_before=70, done_at=days_ago(3), shared=True
    )
    response = as_alex.get(f"/clients/{maya.pk}/progress/")
    assert response.status_code == 200
    assert "They will be cross" in response.text
    assert "Nobody will come" not in response.text
    assert response.context["progress"].experiments.done == 1


def test_a_colleague_and_another_client_get_404(as_sam, as_priya, maya):
    assert as_sam.get(f"/clients/{maya.pk}/progress/").status_code == 404
    assert as_priya.get(f"/clients/{maya.pk}/progress/").status_code == 404


def test_unknown_or_malformed_client_ids_get_404(as_alex):
    assert as_alex.get(f"/clients/{uuid.uuid4()}/progress/").status_code == 404
    assert as_alex.get("/clients/not-a-uuid/progress/").status_code == 404


def test_a_clinician_has_no_own_progress_page(as_alex):
    assert as_alex.get("/home/progress/").status_code == 404


def test_anonymous_people_are_sent_to_sign_in(client, maya):
    for url in ("/home/progress/", f"/clients/{maya.pk}/progress/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_period_chooser_narrows_the_page(as_maya, maya):
    checkin(maya, days_ago(40))
    checkin(maya, days_ago(2))
    start = days_ago(10).date().isoformat()
    response = as_maya.get("/home/progress/", {"from": start})
    assert response.context["progress"].checkins.count == 1
    assert response.context["progress"].start.isoformat() == start


def test_a_reversed_period_is_explained_and_everything_shown(as_maya, maya):
    checkin(maya, days_ago(2))
    response = as_maya.get("/home/progress/", {"from": "2025-05-01", "to": "2025-04-01"})
    assert response.status_code == 200
    assert "The start of the period comes after its end." in response.text
    assert response.context["progress"].checkins.count == 1


def test_progress_page_query_count_does_not_grow_with_data(
    as_maya, alex, maya, django_assert_num_queries
):
    def add(n):
        ladder, steps = make_ladder(maya, alex)
        goal = make_goal(maya, f"goal {n}")
        rate(goal, 0, days_ago(n))
        for day in range(n, n + 5):
            checkin(maya, days_ago(day))
            attempt(steps[0], 30, days_ago(day), shared=True)
        ExperimentFactory(client=maya, belief="b", belief_before=60, done_at=days_ago(n))
        phq9(alex, maya, PRE_18 if n % 2 else POST_9, days_ago(n))

    add(1)
    person(maya)
    as_maya.get("/home/progress/")  # the first visit starts this person's audit chain
    # Session, user, client record; one query per kind of record (ladders and people each with
    # one prefetch); the audit event.
    with django_assert_num_queries(23):
        as_maya.get("/home/progress/")
    for n in range(10, 60, 10):
        add(n)
    person(maya)
    with django_assert_num_queries(23):
        response = as_maya.get("/home/progress/")
    assert response.context["progress"].checkins.count == 30


def test_clinician_progress_page_query_count_does_not_grow_with_data(
    as_alex, alex, maya, django_assert_num_queries
):
    ladder, steps = make_ladder(maya, alex)
    checkin(maya, days_ago(1))
    person(maya)
    as_alex.get(f"/clients/{maya.pk}/progress/")
    # As for the client, plus roles, MFA and a care-team check per kind of client-authored entry.
    with django_assert_num_queries(26):
        as_alex.get(f"/clients/{maya.pk}/progress/")
    for day in range(2, 40):
        checkin(maya, days_ago(day))
        attempt(steps[day % 2], 30, days_ago(day), shared=True)
    rate(make_goal(maya), 1)
    person(maya)
    with django_assert_num_queries(26):
        as_alex.get(f"/clients/{maya.pk}/progress/")


@pytest.mark.parametrize(
    "url",
    [
        "/home/progress/?to=9999-12-31",
        "/home/progress/?from=0001-01-01",
    ],
)
def test_a_date_far_outside_therapy_is_refused_with_a_message_not_an_error(maya, url):
    page = sign_in(maya.user).get(url)
    assert page.status_code in (200, 400)
    assert "Choose a date between 2000-01-01 and 2100-12-31." in page.content.decode()


def test_the_report_refuses_a_far_future_period(alex, maya):
    page = sign_in(alex).get(f"/clients/{maya.pk}/report/?start=9999-12-30&end=9999-12-31")
    assert page.status_code in (200, 400)
    assert "Choose a date between 2000-01-01 and 2100-12-31." in page.content.decode()
