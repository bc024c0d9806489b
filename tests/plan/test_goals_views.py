import uuid

import pytest

from securebase.plan.goals import domain as goals
from securebase.plan.models import Goal, GoalRating
from tests.conftest import sign_in
from tests.factories import GOAL, STEP_DUE, STEPS, TARGET_DATE, create_goal


def _form_data(**extra) -> dict:
    data = {
        "title": "Ask for a time to talk",
        "why": "So I stay close",
        "dimension": "relational",
        "accountability": "3 times before March",
        "target_date": TARGET_DATE.isoformat(),
        "weight": "1",
        "baseline_level": "-1",
        "level_minus_2": "Withdraw every time",
        "level_minus_1": "Ask once",
        "level_0": "Ask 3 times",
        "level_plus_1": "Ask 4 or 5 times",
        "level_plus_2": "Ask every time",
        "step_1_text": "Notice the urge",
        "step_1_who": "client",
        "step_1_due_on": STEP_DUE.isoformat(),
    }
    for n in range(2, 6):
        data[f"step_{n}_who"] = "client"
    return {**data, **extra}


def _new_data(**extra):
    return _form_data(submission_id=str(uuid.uuid4()), **extra)


def test_the_client_adds_a_goal_from_the_phone_pages(as_maya, maya):
    response = as_maya.post("/home/goals/new/", _new_data())

    goal = Goal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/home/goals/{goal.pk}/"
    assert (goal.client, goal.created_by, goal.title) == (maya, maya.user, "Ask for a time to talk")
    assert [s.text for s in goal.steps.all()] == ["Notice the urge"]


def test_the_clinician_adds_a_goal_for_their_client(as_alex, alex, maya):
    response = as_alex.post(f"/clients/{maya.pk}/goals/new/", _new_data())

    goal = Goal.objects.get()
    assert response["Location"] == f"/clients/{maya.pk}/goals/{goal.pk}/"
    assert (goal.client, goal.created_by) == (maya, alex)


def test_a_resent_new_goal_form_creates_one_goal(as_maya):
    data = _new_data()
    as_maya.post("/home/goals/new/", data)
    as_maya.post("/home/goals/new/", data)
    assert Goal.objects.count() == 1


def test_the_new_goal_form_keeps_everything_typed_on_error(as_maya):
    response = as_maya.post("/home/goals/new/", _new_data(level_0="", weight="12"))

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"level_0", "weight"}
    assert "Ask for a time to talk" in response.text
    assert 'value="Notice the urge"' in response.text
    assert "So I stay close" in response.text
    assert Goal.objects.count() == 0


def test_both_the_client_and_the_clinician_see_and_edit_every_goal(as_alex, as_maya, alex, maya):
    goal = create_goal(maya, alex)
    assert as_maya.get("/home/goals/").status_code == 200
    assert as_alex.get(f"/clients/{maya.pk}/goals/").status_code == 200
    assert as_maya.get(f"/home/goals/{goal.pk}/").status_code == 200
    assert as_alex.get(f"/clients/{maya.pk}/goals/{goal.pk}/").status_code == 200

    as_maya.post(f"/home/goals/{goal.pk}/edit/", _form_data(version="1", title="Maya's words"))
    as_alex.post(
        f"/clients/{maya.pk}/goals/{goal.pk}/edit/", _form_data(version="2", title="Our words")
    )

    goal.refresh_from_db()
    assert (goal.title, goal.version, goal.updated_by) == ("Our words", 3, alex)


def test_a_stale_edit_shows_both_versions_and_keeps_what_was_typed(as_alex, alex, maya):
    goal = create_goal(maya, alex)
    goals.edit_goal(goal, by=maya.user, version=1, data={**GOAL, "title": "Maya's words"}, steps=[])

    response = as_alex.post(
        f"/clients/{maya.pk}/goals/{goal.pk}/edit/",
        _form_data(version="1", title="Alex's words"),
    )

    assert response.status_code == 400
    assert response.context["stale"]["view"].title == "Maya's words"
    assert response.context["form"]["version"].value() == "2"
    assert "Maya&#x27;s words" in response.text
    assert "Alex&#x27;s words" in response.text
    assert "Nothing was overwritten" in response.text
    goal.refresh_from_db()
    assert (goal.title, goal.version) == ("Maya's words", 2)

    saved = as_alex.post(
        f"/clients/{maya.pk}/goals/{goal.pk}/edit/",
        _form_data(version="2", title="Alex's words"),
    )
    assert saved.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.version) == ("Alex's words", 3)


def test_the_edit_form_starts_from_the_saved_goal(as_maya, alex, maya):
    goal = create_goal(maya, alex)
    response = as_maya.get(f"/home/goals/{goal.pk}/edit/")
    form = response.context["form"]
    assert form["title"].value() == GOAL["title"]
    assert form["step_2_text"].value() == STEPS[1]["text"]
    assert form["version"].value() == 1


def test_rating_shows_why_it_matters_first_and_each_level(as_maya, alex, maya):
    goal = create_goal(maya, alex)
    page = as_maya.get(f"/home/goals/{goal.pk}/rate/")
    assert page.status_code == 200
    assert page.text.index(GOAL["why"]) < page.text.index(GOAL["level_plus_2"])
    for name in ("level_minus_2", "level_minus_1", "level_0", "level_plus_1", "level_plus_2"):
        assert GOAL[name] in page.text

    key = str(uuid.uuid4())
    for _ in range(2):
        response = as_maya.post(
            f"/home/goals/{goal.pk}/rate/", {"level": "1", "note": "Asked", "submission_id": key}
        )
        assert response.status_code == 302
    assert [(r.level, r.note, r.rated_by) for r in GoalRating.objects.all()] == [
        (1, "Asked", maya.user)
    ]


def test_a_rating_outside_the_scale_is_refused(as_alex, alex, maya):
    goal = create_goal(maya, alex)
    response = as_alex.post(
        f"/clients/{maya.pk}/goals/{goal.pk}/rate/",
        {"level": "3", "note": "kept", "submission_id": str(uuid.uuid4())},
    )
    assert response.status_code == 400
    assert "kept" in response.text
    assert GoalRating.objects.count() == 0


def test_the_list_shows_the_current_level_and_the_combined_score(as_maya, alex, maya):
    made = [create_goal(maya, alex, weight=w) for w in (2, 1, 1)]
    for goal, level in zip(made, (1, 1, 0), strict=True):
        goals.rate_goal(goal, by=alex, level=level)

    response = as_maya.get("/home/goals/")

    assert response.context["gas"] == {"t_score": 60.0, "goals_counted": 3}
    assert "T-score 60.0" in response.text
    assert "Kiresuk" in response.text
    assert [row["level"] for row in response.context["active_rows"]] == [1, 1, 0]
    assert GOAL["level_plus_1"] in response.text


def test_archiving_moves_a_goal_out_of_the_score(as_alex, alex, maya):
    goal = create_goal(maya, alex)
    goals.rate_goal(goal, by=alex, level=2)
    response = as_alex.post(f"/clients/{maya.pk}/goals/{goal.pk}/active/", {"active": "0"})
    assert response.status_code == 302
    page = as_alex.get(f"/clients/{maya.pk}/goals/")
    assert page.context["gas"] == {"t_score": None, "goals_counted": 0}
    assert [row["goal"].pk for row in page.context["archived_rows"]] == [goal.pk]


def test_the_version_history_lists_who_saved_and_shows_an_old_version(as_alex, alex, maya):
    goal = create_goal(maya, alex)
    goals.edit_goal(goal, by=maya.user, version=1, data={**GOAL, "title": "New words"}, steps=[])

    history = as_alex.get(f"/clients/{maya.pk}/goals/{goal.pk}/versions/")
    assert [(v.version, v.saved_by) for v, _url in history.context["rows"]] == [
        (2, maya.user),
        (1, alex),
    ]
    old = as_alex.get(f"/clients/{maya.pk}/goals/{goal.pk}/versions/1/")
    assert old.context["view"].title == GOAL["title"]
    assert [s.text for s in old.context["view"].steps] == [s["text"] for s in STEPS]
    assert as_alex.get(f"/clients/{maya.pk}/goals/{goal.pk}/versions/9/").status_code == 404


def _pages(goal, client_id):
    base = f"/clients/{client_id}/goals/"
    return [
        ("get", base),
        ("get", f"{base}new/"),
        ("post", f"{base}new/"),
        ("get", f"{base}{goal.pk}/"),
        ("get", f"{base}{goal.pk}/edit/"),
        ("post", f"{base}{goal.pk}/edit/"),
        ("get", f"{base}{goal.pk}/rate/"),
        ("post", f"{base}{goal.pk}/rate/"),
        ("post", f"{base}{goal.pk}/active/"),
        ("get", f"{base}{goal.pk}/versions/"),
        ("get", f"{base}{goal.pk}/versions/1/"),
    ]


def test_clinician_pages_answer_404_to_sam_priya_and_the_admin(alex, maya, sam, priya, robin):
    goal = create_goal(maya, alex)
    for user in (sam, priya.user, robin):
        web = sign_in(user)
        for method, url in _pages(goal, maya.pk):
            assert getattr(web, method)(url).status_code == 404, (user, method, url)


def test_the_own_goal_pages_answer_404_to_another_client_and_to_clinicians(
    alex, maya, priya, couple
):
    goal = create_goal(maya, alex)
    jordan, _casey = couple
    for user in (priya.user, jordan.user, alex):
        web = sign_in(user)
        for method, url in _pages(goal, "x"):
            url = url.replace("/clients/x/", "/home/")
            if url == "/home/goals/" or url.startswith("/home/goals/new/"):
                if user is alex:
                    assert getattr(web, method)(url).status_code == 404
                continue
            assert getattr(web, method)(url).status_code == 404, (user, method, url)


def test_a_goal_of_another_client_answers_404_under_this_clients_url(as_alex, alex, maya, couple):
    jordan, _casey = couple
    goal = create_goal(jordan, alex)
    assert as_alex.get(f"/clients/{maya.pk}/goals/{goal.pk}/").status_code == 404
    assert as_alex.get(f"/clients/{jordan.pk}/goals/{goal.pk}/").status_code == 200


@pytest.mark.parametrize("url", ["/home/goals/", "/home/goals/new/"])
def test_anonymous_people_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_anonymous_people_are_sent_to_sign_in_from_a_clients_goal(client, alex, maya):
    goal = create_goal(maya, alex)
    for method, url in _pages(goal, maya.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_goals_list_keeps_its_query_count_as_goals_grow(
    as_alex, alex, maya, django_assert_num_queries
):
    url = f"/clients/{maya.pk}/goals/"

    def grow(n):
        for _ in range(n):
            goal = create_goal(maya, alex)
            goals.rate_goal(goal, by=alex, level=0)
            goals.rate_goal(goal, by=alex, level=1)

    grow(1)
    with django_assert_num_queries(13):
        as_alex.get(url)
    grow(8)
    with django_assert_num_queries(13):
        as_alex.get(url)
