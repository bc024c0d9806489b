"""The relationship map: the client's own circle, private unless shared, never duplicated."""

import json
import re
import uuid

import pytest
from django.db import connection
from django.urls import reverse

from securebase.audit.models import AuditEvent
from securebase.core.idempotency import SubmissionKeyReused
from securebase.understand.models import Person, PersonRating
from securebase.understand.people import domain as people
from securebase.understand.people.urls import urlpatterns
from securebase.understand.people.views import HEIGHT, WIDTH, PersonRow, map_rings

RATED = {"reassurance": 3, "criticism": 1, "withdrawal": 2, "reliability": 4}


def _add(client, name="Sam", circle="inner", shared=None, ratings=None, **extra):
    data = {"name": name, "term": extra.pop("term", "partner"), "circle": circle}
    if shared is not None:
        data["shared"] = shared
    person, _created = people.add_person(
        client=client, by=client.user, data=data, ratings=ratings, **extra
    )
    return person


def _form(**extra):
    data = {
        "name": "Dani",
        "term": "my person",
        "circle": "inner",
        "submission_id": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


# --- domain ---------------------------------------------------------------------------------------


def test_adding_with_the_same_submission_id_twice_creates_one_person(maya):
    key = uuid.uuid4()
    first = _add(maya, submission_id=key, ratings=RATED)
    again = _add(maya, submission_id=key, ratings=RATED)
    assert first.pk == again.pk
    assert Person.objects.filter(client=maya).count() == 1
    assert PersonRating.objects.filter(person=first).count() == 1


def test_the_same_submission_id_with_other_details_is_refused(maya):
    key = uuid.uuid4()
    _add(maya, name="Sam", submission_id=key)
    with pytest.raises(SubmissionKeyReused):
        _add(maya, name="Jo", submission_id=key)
    assert Person.objects.filter(client=maya).count() == 1


def test_a_new_person_follows_the_clients_sharing_preference_unless_told(maya):
    assert _add(maya, name="A").shared is False
    maya.shares_by_default = True
    maya.save()
    assert _add(maya, name="B").shared is True
    assert _add(maya, name="C", shared=False).shared is False


@pytest.mark.parametrize(
    ("data", "ratings"),
    [
        ({"name": "  ", "circle": "inner"}, None),
        ({"name": "Sam", "circle": "closest"}, None),
        ({"name": "Sam", "circle": "inner"}, {**RATED, "criticism": 5}),
        ({"name": "Sam", "circle": "inner"}, {**RATED, "criticism": "3"}),
        ({"name": "Sam", "circle": "inner"}, {"reassurance": 3}),
    ],
)
def test_the_domain_refuses_what_the_map_cannot_hold(maya, data, ratings):
    with pytest.raises(people.PeopleError):
        people.add_person(client=maya, by=maya.user, data=data, ratings=ratings)
    assert not Person.objects.exists()


def test_names_and_terms_are_encrypted_and_kept_out_of_the_audit_log(maya):
    person = _add(maya, name="Tomasz", term="my brother", ratings=RATED)
    people.edit_person(person=person, by=maya.user, data={"name": "Tomek", "circle": "middle"})
    people.rate_person(person=person, by=maya.user, ratings=RATED)
    people.archive_person(person=person, by=maya.user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, term FROM understand_person")
        stored = cursor.fetchone()
    assert "Tom" not in stored[0] and "brother" not in stored[1]
    events = AuditEvent.objects.filter(client_id=maya.pk).exclude(object_type="client")
    assert [(e.action, e.object_type) for e in events.order_by("seq")] == [
        ("create", "person"),
        ("update", "person"),
        ("create", "person_rating"),
        ("update", "person"),
    ]
    dumped = json.dumps([e.detail for e in events])
    assert "Tom" not in dumped and "brother" not in dumped
    assert {e.object_id for e in events} == {str(person.pk)}


def test_editing_changes_the_person_and_names_the_fields_in_the_audit(maya):
    person = _add(maya, name="Sam", circle="outer", shared=False)
    people.edit_person(
        person=person,
        by=maya.user,
        data={"name": "Sam", "term": "husband", "circle": "inner", "shared": True},
    )
    person.refresh_from_db()
    assert (person.term, person.circle, person.shared) == ("husband", "inner", True)
    event = AuditEvent.objects.filter(object_type="person", action="update").get()
    assert event.detail["fields"] == ["circle", "shared", "term"]


def test_re_rating_keeps_every_rating_and_shows_the_change_since_first(maya):
    person = _add(maya, ratings=RATED)
    people.rate_person(person=person, by=maya.user, ratings={**RATED, "criticism": 0})
    people.rate_person(person=person, by=maya.user, ratings={**RATED, "reassurance": 4})
    ratings = list(person.ratings.order_by("rated_at", "pk"))
    assert len(ratings) == 3
    changes = {c.key: (c.value, c.difference, c.signed) for c in people.latest_with_change(ratings)}
    assert changes == {
        "reassurance": (4, 1, "+1"),
        "criticism": (1, 0, "±0"),
        "withdrawal": (2, 0, "±0"),
        "reliability": (4, 0, "±0"),
    }
    once = people.latest_with_change(ratings[:1])
    assert [c.difference for c in once] == [None] * 4


def test_rating_with_a_submission_id_twice_records_once(maya):
    person = _add(maya)
    key = uuid.uuid4()
    first, created = people.rate_person(
        person=person, by=maya.user, ratings=RATED, submission_id=key
    )
    again, created_again = people.rate_person(
        person=person, by=maya.user, ratings=RATED, submission_id=key
    )
    assert (created, created_again, first.pk) == (True, False, again.pk)
    assert person.ratings.count() == 1


def test_people_for_choice_lists_active_people_inner_to_outer(maya, priya):
    outer = _add(maya, name="Neighbour", circle="outer")
    inner = _add(maya, name="Sam", circle="inner")
    middle = _add(maya, name="Ana", circle="middle")
    gone = _add(maya, name="Ex", circle="inner")
    people.archive_person(person=gone, by=maya.user)
    _add(priya, name="Priya's friend", circle="inner")
    assert list(people.people_for_choice(maya)) == [inner, middle, outer]
    people.restore_person(person=gone, by=maya.user)
    assert list(people.people_for_choice(maya)) == [inner, gone, middle, outer]


def test_the_map_keeps_every_dot_and_label_inside_the_picture(maya):
    rows = [
        PersonRow(Person(name=f"Person number {n}", circle=circle), [], [])
        for n in range(12)
        for circle in ("inner", "middle", "outer")
    ]
    rings = map_rings(rows)
    assert [r.key for r in rings] == ["outer", "middle", "inner"]  # painted outer first
    for row in rows:
        assert 0 < row.dot.x < WIDTH and 0 < row.dot.y < HEIGHT
        assert 0 < row.dot.label_x < WIDTH and 0 < row.dot.label_y < HEIGHT
        assert len(row.dot.short_label) <= 12


# --- the client's pages ---------------------------------------------------------------------------


def test_the_client_sees_their_map_table_and_rating_history(as_maya, maya):
    sam = _add(maya, name="Sam", term="partner", circle="inner", ratings=RATED)
    people.rate_person(person=sam, by=maya.user, ratings={**RATED, "criticism": 3})
    _add(maya, name="Ana", term="", circle="outer")
    page = as_maya.get("/home/people/")
    assert page.status_code == 200
    html = page.text
    assert [r.person.name for r in page.context["rows"]] == ["Sam", "Ana"]
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert "Inner circle: Sam (partner). Middle circle: no one. Outer circle: Ana." in html
    assert "+2 since first" in html
    assert "Not rated yet" in html
    assert [r.person.name for r in page.context["rerated"]] == ["Sam"]
    event = AuditEvent.objects.filter(object_type="relationship_map").get()
    assert (event.actor_id, event.action, event.detail) == (maya.user.pk, "read", {"count": 2})


def test_the_map_has_no_inline_styles_or_scripts_and_numbers_survive_spanish(as_maya, maya):
    maya.user.language = "es"
    maya.user.save()
    _add(maya, name="Sam", circle="middle")
    html = as_maya.get("/home/people/").text
    assert "style=" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
    svg = html[html.index("<svg") : html.index("</svg>")]
    coordinates = re.findall(r'\b(?:cx|cy|x|y|r)="([^"]*)"', svg)
    assert coordinates and all(re.fullmatch(r"-?\d+(\.\d+)?", c) for c in coordinates)


def test_the_add_form_defaults_shared_to_the_clients_preference(as_maya, maya):
    assert as_maya.get("/home/people/add/").context["form"]["shared"].value() is False
    maya.shares_by_default = True
    maya.save()
    assert as_maya.get("/home/people/add/").context["form"]["shared"].value() is True


def test_a_client_adds_a_person_with_a_first_rating(as_maya, maya):
    response = as_maya.post(
        "/home/people/add/",
        _form(reassurance="3", criticism="0", withdrawal="1", reliability="4", shared="on"),
    )
    assert response["Location"] == "/home/people/"
    person = Person.objects.get(client=maya)
    assert (person.name, person.term, person.circle, person.shared) == (
        "Dani",
        "my person",
        "inner",
        True,
    )
    rating = person.ratings.get()
    assert (rating.reassurance, rating.criticism, rating.withdrawal, rating.reliability) == (
        3,
        0,
        1,
        4,
    )


def test_sending_the_add_form_twice_creates_one_person(as_maya, maya):
    data = _form()
    first = as_maya.post("/home/people/add/", data)
    second = as_maya.post("/home/people/add/", data)
    assert first["Location"] == second["Location"] == "/home/people/"
    assert Person.objects.filter(client=maya).count() == 1


def test_the_add_form_keeps_what_was_typed_and_explains_the_errors(as_maya, maya):
    data = _form(name="", term="chosen family", circle="", reassurance="2")
    response = as_maya.post("/home/people/add/", data)
    assert response.status_code == 200
    html = response.text
    assert 'value="chosen family"' in html
    assert data["submission_id"] in html
    assert "Give a name or nickname, as you would say it." in html
    assert "Choose the inner, middle or outer circle." in html
    assert "Rate this one too, or leave all four empty to rate them later." in html
    assert re.search(r'value="2"[^>]*checked', html)
    assert not Person.objects.exists()


def test_a_client_edits_re_rates_archives_and_restores_a_person(as_maya, maya):
    person = _add(maya, name="Sam", circle="outer", ratings=RATED)
    edit = as_maya.get(f"/home/people/{person.pk}/edit/")
    assert edit.context["form"]["name"].value() == "Sam"
    response = as_maya.post(
        f"/home/people/{person.pk}/edit/",
        {"name": "Sam", "term": "husband", "circle": "inner", "shared": "on"},
    )
    assert response["Location"] == "/home/people/"
    rate = as_maya.get(f"/home/people/{person.pk}/rate/")
    assert "Last time, on" in rate.text
    rated = {k: str(v) for k, v in RATED.items()}
    response = as_maya.post(
        f"/home/people/{person.pk}/rate/",
        {**rated, "withdrawal": "0", "submission_id": str(uuid.uuid4())},
    )
    assert response["Location"] == "/home/people/"
    as_maya.post(f"/home/people/{person.pk}/archive/")
    person.refresh_from_db()
    assert (person.term, person.circle, person.shared, person.archived) == (
        "husband",
        "inner",
        True,
        True,
    )
    assert person.ratings.count() == 2
    page = as_maya.get("/home/people/")
    assert page.context["rows"] == []
    assert [r.person for r in page.context["archived"]] == [person]
    as_maya.post(f"/home/people/{person.pk}/restore/")
    assert [r.person for r in as_maya.get("/home/people/").context["rows"]] == [person]


def test_a_rating_left_incomplete_is_explained(as_maya, maya):
    person = _add(maya)
    response = as_maya.post(
        f"/home/people/{person.pk}/rate/",
        {"reassurance": "2", "criticism": "9", "submission_id": str(uuid.uuid4())},
    )
    assert response.status_code == 200
    assert "Choose how often, from never to almost always." in response.text
    assert "Select a valid choice." in response.text
    assert person.ratings.count() == 0


def test_the_map_page_query_count_does_not_grow(as_maya, maya, django_assert_num_queries):
    def add_some(n):
        for i in range(n):
            person = _add(maya, name=f"P{i}", circle=("inner", "middle", "outer")[i % 3])
            people.rate_person(person=person, by=maya.user, ratings=RATED)
            people.rate_person(person=person, by=maya.user, ratings=RATED)

    add_some(1)
    as_maya.get("/home/people/")
    with django_assert_num_queries(11):
        as_maya.get("/home/people/")
    add_some(8)
    with django_assert_num_queries(11):
        response = as_maya.get("/home/people/")
    assert len(response.context["rows"]) == 9


# --- the care team's page and access --------------------------------------------------------------


def test_the_clinician_sees_only_the_people_the_client_shared(as_alex, alex, maya):
    _add(maya, name="Shared Sam", shared=True, ratings=RATED)
    _add(maya, name="Private Pat", shared=False, ratings=RATED)
    gone = _add(maya, name="Archived Ari", shared=True)
    people.archive_person(person=gone, by=maya.user)
    page = as_alex.get(f"/clients/{maya.pk}/people/")
    assert page.status_code == 200
    assert [r.person.name for r in page.context["rows"]] == ["Shared Sam"]
    assert "Private Pat" not in page.text and "Archived Ari" not in page.text
    assert "/home/people/" not in page.text  # no edit or rate links: the client writes the map
    event = AuditEvent.objects.filter(object_type="relationship_map").get()
    assert (event.actor_id, event.client_id, event.detail) == (alex.pk, maya.pk, {"count": 1})


def test_the_clinician_page_query_count_does_not_grow(as_alex, maya, django_assert_num_queries):
    def add_some(n):
        for i in range(n):
            person = _add(maya, name=f"P{i}", shared=True)
            people.rate_person(person=person, by=maya.user, ratings=RATED)

    add_some(1)
    as_alex.get(f"/clients/{maya.pk}/people/")
    with django_assert_num_queries(14):
        as_alex.get(f"/clients/{maya.pk}/people/")
    add_some(6)
    with django_assert_num_queries(14):
        response = as_alex.get(f"/clients/{maya.pk}/people/")
    assert len(response.context["rows"]) == 7


@pytest.mark.parametrize("who", ["as_sam", "as_priya", "as_maya"])
def test_nobody_but_the_care_team_opens_the_clinician_page(who, request, maya):
    _add(maya, shared=True)
    web = request.getfixturevalue(who)
    assert web.get(f"/clients/{maya.pk}/people/").status_code == 404
    assert web.get(f"/clients/{uuid.uuid4()}/people/").status_code == 404


@pytest.mark.parametrize("who", ["as_alex", "as_sam", "as_priya"])
@pytest.mark.parametrize("action", ["edit", "rate"])
def test_nobody_else_opens_or_changes_a_clients_person(who, action, request, maya):
    person = _add(maya, name="Sam", shared=True)
    web = request.getfixturevalue(who)
    assert web.get(f"/home/people/{person.pk}/{action}/").status_code == 404
    data = {"name": "Hacked", "circle": "outer", **RATED, "submission_id": str(uuid.uuid4())}
    assert web.post(f"/home/people/{person.pk}/{action}/", data).status_code == 404
    assert web.post(f"/home/people/{person.pk}/archive/").status_code == 404
    person.refresh_from_db()
    assert (person.name, person.archived, person.ratings.count()) == ("Sam", False, 0)


def test_a_clinician_or_admin_has_no_map_of_their_own(as_alex, as_robin):
    assert as_alex.get("/home/people/").status_code == 404
    assert as_robin.get("/home/people/add/").status_code == 404


def test_unknown_and_malformed_person_ids_answer_404(as_maya):
    assert as_maya.get(f"/home/people/{uuid.uuid4()}/edit/").status_code == 404
    assert as_maya.get("/home/people/not-a-uuid/rate/").status_code == 404


def test_every_relationship_map_page_turns_anonymous_people_away(client, db):
    for pattern in urlpatterns:
        kwargs = {name: uuid.uuid4() for name in pattern.pattern.converters}
        url = reverse(pattern.name, kwargs=kwargs)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (302, 405), (pattern.name, method)
            if response.status_code == 302:
                assert response["Location"].startswith("/accounts/login/"), pattern.name
