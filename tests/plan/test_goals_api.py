import uuid

import pytest

from securebase.accounts import tokens
from securebase.plan.models import Goal, GoalRating
from tests.factories import STEP_DUE, TARGET_DATE, bearer

GOAL = {
    "title": "Ask for a time to talk instead of withdrawing",
    "why": "I want to stay close",
    "dimension": "relational",
    "levels": {
        "-2": "Withdraw every time",
        "-1": "Ask once",
        "0": "Ask 3 times before March",
        "1": "Ask 4 or 5 times",
        "2": "Ask every time",
    },
}


def _post(client, user, url, body, key=None, scope="write"):
    headers = {**bearer(user, scope), "Idempotency-Key": key or str(uuid.uuid4())}
    return client.post(url, body, content_type="application/json", headers=headers)


def _goal(client, user, maya, **extra):
    return _post(client, user, f"/api/v1/clients/{maya.pk}/goals", {**GOAL, **extra})


def test_a_goal_is_created_once_and_listed_with_its_contract_fields(client, alex, maya):
    key = str(uuid.uuid4())
    url = f"/api/v1/clients/{maya.pk}/goals"
    first = _post(client, alex, url, GOAL, key=key)
    again = _post(client, alex, url, GOAL, key=key)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Goal.objects.count() == 1
    listed = client.get(url, headers=bearer(maya.user)).json()
    assert len(listed) == 1
    item = listed[0]
    assert {k: item[k] for k in ("title", "why", "dimension", "weight", "active")} == {
        "title": GOAL["title"],
        "why": GOAL["why"],
        "dimension": "relational",
        "weight": 1,
        "active": True,
    }
    assert (item["latest_level"], item["version"], item["levels"]) == (None, 1, GOAL["levels"])
    assert (item["baseline_level"], item["steps"]) == (-1, [])


def test_the_client_sets_a_goal_with_steps_and_a_target_date(client, maya):
    response = _goal(
        client,
        maya.user,
        maya,
        weight=2,
        target_date=TARGET_DATE.isoformat(),
        accountability="3 times before March",
        steps=[{"text": "Notice the urge", "who": "together", "due_on": STEP_DUE.isoformat()}],
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["weight"], body["target_date"]) == (2, TARGET_DATE.isoformat())
    assert body["steps"] == [
        {
            "text": "Notice the urge",
            "who": "together",
            "due_on": STEP_DUE.isoformat(),
            "done": False,
        }
    ]


def test_creating_needs_an_idempotency_key_and_write_scope(client, alex, maya):
    url = f"/api/v1/clients/{maya.pk}/goals"
    missing = client.post(url, GOAL, content_type="application/json", headers=bearer(alex, "write"))
    assert missing.status_code == 422
    assert "Idempotency-Key" in missing.json()["detail"]
    assert _post(client, alex, url, GOAL, scope="read").status_code == 403
    assert Goal.objects.count() == 0


@pytest.mark.parametrize(
    "change",
    [
        {"levels": {**GOAL["levels"], "2": ""}},
        {"levels": {k: v for k, v in GOAL["levels"].items() if k != "0"}},
        {"levels": {**GOAL["levels"], "3": "Beyond"}},
        {"dimension": "spiritual"},
        {"weight": 0},
        {"weight": "1"},
        {"title": ""},
        {"colour": "blue"},
    ],
)
def test_bad_goals_answer_422_with_a_detail(client, alex, maya, change):
    response = _goal(client, alex, maya, **change)
    assert response.status_code == 422
    assert response.json()["detail"]
    assert Goal.objects.count() == 0


def test_ratings_are_idempotent_and_become_the_latest_level(client, alex, maya):
    goal = _goal(client, alex, maya).json()
    url = f"/api/v1/goals/{goal['id']}/ratings"
    key = str(uuid.uuid4())
    first = _post(client, maya.user, url, {"level": 1, "note": "Asked twice"}, key=key)
    again = _post(client, maya.user, url, {"level": 1, "note": "Asked twice"}, key=key)

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert (first.json()["level"], first.json()["note"]) == (1, "Asked twice")
    assert GoalRating.objects.count() == 1
    listed = client.get(f"/api/v1/clients/{maya.pk}/goals", headers=bearer(alex)).json()
    assert listed[0]["latest_level"] == 1


@pytest.mark.parametrize("level", [-3, 3, "1", 1.5, True])
def test_ratings_outside_minus_two_to_plus_two_answer_422(client, alex, maya, level):
    goal = _goal(client, alex, maya).json()
    response = _post(client, alex, f"/api/v1/goals/{goal['id']}/ratings", {"level": level})
    assert response.status_code == 422
    assert response.json()["detail"]
    assert GoalRating.objects.count() == 0


def test_a_put_retried_after_a_lost_answer_answers_200_with_the_one_saved_version(
    client, alex, maya
):
    goal = _goal(client, alex, maya).json()
    url = f"/api/v1/goals/{goal['id']}"
    put = {**GOAL, "title": "Maya's words", "version": 1}
    headers = bearer(maya.user, "write")

    first = client.put(url, put, content_type="application/json", headers=headers)
    retried = client.put(url, put, content_type="application/json", headers=headers)

    assert (first.status_code, first.json()["version"]) == (200, 2)
    assert (retried.status_code, retried.json()["version"], retried.json()["title"]) == (
        200,
        2,
        "Maya's words",
    )
    assert Goal.objects.get().versions.count() == 2


def test_a_stale_put_answers_409_and_overwrites_nothing(client, alex, maya):
    goal = _goal(client, alex, maya).json()
    url = f"/api/v1/goals/{goal['id']}"
    headers = bearer(alex, "write")
    put = {**GOAL, "title": "Maya's words", "version": 1}
    saved = client.put(
        url, put, content_type="application/json", headers=bearer(maya.user, "write")
    )
    assert (saved.status_code, saved.json()["version"]) == (200, 2)

    stale = client.put(
        url, {**put, "title": "Alex's words"}, content_type="application/json", headers=headers
    )

    assert stale.status_code == 409
    assert "version 2" in stale.json()["detail"]
    assert Goal.objects.get().title == "Maya's words"
    fresh = client.put(
        url,
        {**put, "title": "Alex's words", "version": 2},
        content_type="application/json",
        headers=headers,
    )
    assert (fresh.status_code, fresh.json()["title"], fresh.json()["version"]) == (
        200,
        "Alex's words",
        3,
    )


@pytest.fixture
def outsiders(sam, priya, robin, couple):
    jordan, _casey = couple
    return [sam, priya.user, robin, jordan.user]


def test_foreign_clients_and_goals_answer_404(client, alex, maya, outsiders):
    goal = _goal(client, alex, maya).json()
    for user in outsiders:
        _token, secret = tokens.create_token(user, name="t", scope="write")
        headers = {"Authorization": f"Bearer {secret}", "Idempotency-Key": str(uuid.uuid4())}
        calls = [
            client.get(f"/api/v1/clients/{maya.pk}/goals", headers=headers),
            client.post(
                f"/api/v1/clients/{maya.pk}/goals",
                GOAL,
                content_type="application/json",
                headers=headers,
            ),
            client.get(f"/api/v1/goals/{goal['id']}", headers=headers),
            client.put(
                f"/api/v1/goals/{goal['id']}",
                {**GOAL, "version": 1},
                content_type="application/json",
                headers=headers,
            ),
            client.post(
                f"/api/v1/goals/{goal['id']}/ratings",
                {"level": 0},
                content_type="application/json",
                headers=headers,
            ),
            client.get(f"/api/v1/goals/{goal['id']}/ratings", headers=headers),
        ]
        assert [c.status_code for c in calls] == [404] * 6, user
        assert calls[0].json() == {"detail": "Not found."}
    assert Goal.objects.count() == 1
    assert GoalRating.objects.count() == 0


def test_the_schema_documents_the_levels_object(client):
    schema = client.get("/api/v1/openapi.json").json()
    levels = schema["components"]["schemas"]["LevelsIn"]
    assert sorted(levels["properties"]) == ["-1", "-2", "0", "1", "2"]
    assert sorted(levels["required"]) == ["-1", "-2", "0", "1", "2"]
