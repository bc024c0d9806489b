"""GET /api/v1/clients/{id}/progress: GAS, measures with reliable change, check-in trends."""

import datetime as dt
import uuid

from tests.factories import (
    POST_9,
    PRE_18,
    ExperimentFactory,
    bearer,
    checkin,
    days_ago,
    make_goal,
    phq9,
    rate,
)


def _get(client, user, maya, **params):
    return client.get(f"/api/v1/clients/{maya.pk}/progress", params, headers=bearer(user))


def test_gas_matches_the_hand_computed_example(client, alex, maya):
    # INSTRUMENTS.md §3.3: levels 1, 1, 0 with weights 2, 1, 1 and ρ = 0.3:
    # Σwx = 2 + 1 + 0 = 3; Σw² = 6; (Σw)² = 16; √(0.7·6 + 0.3·16) = √9 = 3; T = 50 + 10·3/3 = 60.
    rate(make_goal(maya, "one", weight=2), 1)
    rate(make_goal(maya, "two"), 1)
    rate(make_goal(maya, "three"), 0)
    make_goal(maya, "not rated yet")
    response = _get(client, alex, maya)
    assert response.status_code == 200
    assert response.json()["gas"] == {
        "t_score": 60.0,
        "goals_counted": 3,
        "goals_unrated": 1,
        "rho": 0.3,
    }


def test_the_reliable_change_verdict_matches_the_hand_computed_example(client, alex, maya):
    # phq9.yaml: published RCI 6 points, caseness cut-off 10, lower is better.
    # 18 → 9: a fall of 9 ≥ 6 is reliable; 18 ≥ 10 > 9 crosses the cut-off → "recovered".
    phq9(alex, maya, PRE_18, days_ago(30))
    phq9(alex, maya, POST_9, days_ago(1))
    [measure] = _get(client, maya.user, maya).json()["measures"]
    assert {k: measure[k] for k in ("instrument", "subscale", "target", "first", "latest")} == {
        "instrument": "phq9",
        "subscale": "total",
        "target": "",
        "first": 18.0,
        "latest": 9.0,
    }
    assert measure["verdict"] == "recovered"


def test_a_smaller_fall_is_no_reliable_change(client, alex, maya):
    # 18 → 13: a fall of 5 < 6 points.
    phq9(alex, maya, PRE_18, days_ago(30))
    phq9(alex, maya, (2, 2, 2, 1, 1, 1, 2, 2, 0), days_ago(1))
    [measure] = _get(client, alex, maya).json()["measures"]
    assert (measure["latest"], measure["verdict"]) == (13.0, "no reliable change")


def test_check_in_trend_is_weekly_means(client, alex, maya):
    monday = dt.datetime(2025, 3, 3, 12, tzinfo=dt.UTC)
    checkin(maya, monday, mood=4, closeness=6, felt_security=2)
    checkin(maya, monday + dt.timedelta(days=1), mood=5, closeness=7, felt_security=3)
    answer = _get(client, alex, maya).json()["checkins"]
    assert answer == {
        "count": 2,
        "trend": [
            {"week": "2025-W10", "count": 2, "mood": 4.5, "closeness": 6.5, "felt_security": 2.5}
        ],
    }


def test_the_whole_answer_has_every_section(client, maya):
    body = _get(client, maya.user, maya).json()
    assert set(body) == {
        "client_id",
        "start",
        "end",
        "gas",
        "measures",
        "checkins",
        "ladders",
        "experiments",
        "streak",
        "milestones",
    }
    assert body["streak"] == {"days": 0, "practice_days": 0, "last_practised": None}


def test_the_clinician_does_not_see_unshared_practice(client, alex, maya):
    ExperimentFactory(client=maya, belief="b", belief_before=60, done_at=days_ago(1))
    assert _get(client, alex, maya).json()["experiments"] == {"done": 0, "planned": 0}
    assert _get(client, maya.user, maya).json()["experiments"] == {"done": 1, "planned": 0}
    assert [m["key"] for m in _get(client, maya.user, maya).json()["milestones"]] == [
        "experiment-first"
    ]
    assert _get(client, alex, maya).json()["milestones"] == []


def test_a_period_narrows_the_answer(client, alex, maya):
    checkin(maya, days_ago(40))
    checkin(maya, days_ago(2))
    start = days_ago(10).date().isoformat()
    body = _get(client, alex, maya, **{"from": start}).json()
    assert (body["start"], body["end"], body["checkins"]["count"]) == (start, None, 1)


def test_a_reversed_period_answers_422(client, alex, maya):
    response = _get(client, alex, maya, **{"from": "2025-05-01", "to": "2025-04-01"})
    assert response.status_code == 422


def test_foreign_and_unknown_clients_answer_404(client, sam, priya, maya):
    assert _get(client, sam, maya).status_code == 404
    assert _get(client, priya.user, maya).status_code == 404
    unknown = client.get(f"/api/v1/clients/{uuid.uuid4()}/progress", headers=bearer(sam))
    assert unknown.status_code == 404


def test_without_a_token_the_answer_is_401(client, maya):
    assert client.get(f"/api/v1/clients/{maya.pk}/progress").status_code == 401
