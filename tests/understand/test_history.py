"""The attachment history map: written together, refused when stale, versioned, audited, private."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from securebase.audit.models import AuditEvent
from securebase.care import domain
from securebase.core.versioning import StaleSave
from securebase.understand.history import domain as history
from securebase.understand.models import HistoryEvent, HistoryMap, HistoryVersion, Moment, Script
from tests import factories
from tests.conftest import sign_in
from tests.factories import MomentFactory


def _map_of(client, by):
    return history.get_or_create_map(client=client, by=by)


def _moment(client, *, shared: bool, situation: str = "Texted Sam, no answer for hours") -> Moment:
    return MomentFactory(
        client=client,
        occurred_at=timezone.now() - timedelta(days=2),
        kind=Moment.Kind.THREAT,
        situation=situation,
        shared=shared,
    )


def _event_data(**overrides) -> dict:
    data = {
        "kind": "caregiver",
        "age_from": "",
        "age_to": "",
        "when_text": "",
        "title": "Grandma looked after me",
        "description": "",
        "own_words": "",
    }
    data.update(overrides)
    return data


def _add_event(the_map, by, **fields):
    data = {"kind": "other", "title": "An event", **fields}
    return history.add_event(by=by, history=the_map, version=the_map.version, data=data)


def _version_in_form(response) -> int:
    return int(response.context["form"]["version"].value())


# --- writing together -----------------------------------------------------------------------------


def test_second_of_two_simultaneous_story_saves_is_refused_with_both_versions_and_nothing_lost(
    as_alex, as_maya, maya
):
    clinician_form = as_alex.get(f"/clients/{maya.pk}/history/edit/")
    client_form = as_maya.get("/home/history/edit/")
    started = _version_in_form(clinician_form)
    assert _version_in_form(client_form) == started

    saved = as_alex.post(
        f"/clients/{maya.pk}/history/edit/",
        {"version": started, "narrative": "Mum worked nights; Grandma was the steady one."},
    )
    assert saved.status_code == 302
    refused = as_maya.post(
        "/home/history/edit/",
        {"version": started, "narrative": "I learned to be no trouble so nobody would leave."},
    )

    assert refused.status_code == 200
    html = refused.text
    assert "Mum worked nights; Grandma was the steady one." in html  # the other version
    assert "I learned to be no trouble so nobody would leave." in html  # her own, kept
    assert "Someone else saved the history map while you were editing." in html
    assert _version_in_form(refused) == started + 1
    the_map = HistoryMap.objects.get(client=maya)
    assert the_map.narrative == "Mum worked nights; Grandma was the steady one."
    assert the_map.version == started + 1

    again = as_maya.post(
        "/home/history/edit/",
        {"version": _version_in_form(refused), "narrative": "Both: Grandma, and being no trouble."},
    )
    assert again.status_code == 302
    the_map.refresh_from_db()
    assert the_map.narrative == "Both: Grandma, and being no trouble."
    assert the_map.version == started + 2
    saved_texts = [
        json.loads(v.snapshot)["narrative"]
        for v in HistoryVersion.objects.filter(history=the_map).order_by("version")
    ]
    assert saved_texts == [
        "",
        "Mum worked nights; Grandma was the steady one.",
        "Both: Grandma, and being no trouble.",
    ]


def test_stale_event_edit_shows_the_event_as_saved_now_beside_the_kept_input(
    as_alex, as_maya, alex, maya
):
    the_map = _map_of(maya, alex)
    event = _add_event(the_map, alex, kind="move", title="We moved to Leeds", age_from=6)
    url = f"/clients/{maya.pk}/history/events/{event.pk}/edit/"
    started = _version_in_form(as_alex.get(url))
    as_maya.post(
        f"/home/history/events/{event.pk}/edit/",
        _event_data(version=started, kind="move", title="The move I never chose", age_from="6"),
    )

    refused = as_alex.post(
        url, _event_data(version=started, kind="move", title="Move north", age_from="7")
    )

    assert refused.status_code == 200
    assert refused.context["stale"]["item"].title == "The move I never chose"
    assert 'value="Move north"' in refused.text
    event.refresh_from_db()
    assert (event.title, event.age_from) == ("The move I never chose", 6)


def test_an_event_added_from_a_stale_version_is_refused_and_kept_in_the_form(as_alex, alex, maya):
    the_map = _map_of(maya, alex)
    started = the_map.version
    _add_event(the_map, alex, title="Dad worked abroad")

    refused = as_alex.post(
        f"/clients/{maya.pk}/history/events/add/",
        _event_data(version=started, title="Grandma's garden", age_from="4"),
    )

    assert refused.status_code == 200
    assert 'value="Grandma&#x27;s garden"' in refused.text
    assert [e.short for e in refused.context["stale"]["events"]] == ["Dad worked abroad"]
    assert HistoryEvent.objects.filter(history=the_map).count() == 1


def test_an_event_removed_while_someone_edited_it_keeps_their_text_and_can_be_added_again(
    as_maya, alex, maya
):
    the_map = _map_of(maya, alex)
    event = _add_event(the_map, alex, title="Hospital stay")
    started = the_map.version
    history.delete_event(by=alex, event=event, version=started)

    response = as_maya.post(
        f"/home/history/events/{event.pk}/edit/",
        _event_data(version=started, kind="illness", title="Hospital, alone at night"),
    )

    assert response.status_code == 200
    assert 'value="Hospital, alone at night"' in response.text
    assert response.context["action"] == "/home/history/events/add/"
    again = as_maya.post(
        response.context["action"],
        _event_data(
            version=_version_in_form(response), kind="illness", title="Hospital, alone at night"
        ),
    )
    assert again.status_code == 302
    assert [e.title for e in HistoryEvent.objects.filter(history=the_map)] == [
        "Hospital, alone at night"
    ]


def test_a_stale_delete_is_refused_and_the_event_stays(as_alex, alex, maya):
    the_map = _map_of(maya, alex)
    event = _add_event(the_map, alex, title="First school")
    url = f"/clients/{maya.pk}/history/events/{event.pk}/delete/"
    started = _version_in_form(as_alex.get(url))
    history.save_narrative(by=maya.user, history=the_map, version=started, narrative="New words")

    refused = as_alex.post(url, {"version": started})
    assert refused.status_code == 200
    assert HistoryEvent.objects.filter(pk=event.pk).exists()

    removed = as_alex.post(url, {"version": _version_in_form(refused)})
    assert removed.status_code == 302
    assert not HistoryEvent.objects.filter(pk=event.pk).exists()


def test_only_one_of_two_saves_from_the_same_version_wins(alex, maya):
    the_map = _map_of(maya, alex)
    version = the_map.version
    other_copy = HistoryMap.objects.get(pk=the_map.pk)
    history.save_narrative(by=alex, history=the_map, version=version, narrative="first")

    with pytest.raises(StaleSave) as refused:
        history.save_narrative(
            by=maya.user, history=other_copy, version=version, narrative="second"
        )

    assert refused.value.current.narrative == "first"
    assert refused.value.current.updated_by == alex
    assert HistoryVersion.objects.filter(history=the_map).count() == 2


def test_a_mistyped_event_is_explained_and_keeps_what_was_typed(as_maya, alex, maya):
    version = _map_of(maya, alex).version

    response = as_maya.post(
        "/home/history/events/add/",
        _event_data(version=version, title="Summers at the lake", age_from="12", age_to="9"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["age_to"] == ["The end age is before the start age."]
    assert 'value="Summers at the lake"' in response.text


def test_the_story_form_asks_for_a_story_without_blame(as_maya):
    response = as_maya.get("/home/history/edit/")
    assert "how this made sense then" in response.text
    assert "Describe rather than judge" in response.text


# --- reading ---------------------------------------------------------------------------------------


def test_timeline_runs_by_age_with_events_of_unknown_age_last(as_maya, alex, maya):
    the_map = _map_of(maya, alex)
    _add_event(the_map, alex, title="Parents split", age_from=9)
    _add_event(the_map, alex, title="Always felt the odd one out", when_text="growing up")
    _add_event(the_map, alex, title="Grandma looked after me", age_from=2, age_to=6)
    _add_event(the_map, alex, title="Baby brother born", age_to=3)

    response = as_maya.get("/home/history/")

    assert [(e.title, e.when) for e in response.context["events"]] == [
        ("Grandma looked after me", "Ages 2–6"),
        ("Baby brother born", "Up to age 3"),
        ("Parents split", "Age 9"),
        ("Always felt the odd one out", "growing up"),
    ]
    assert "Time not known" not in response.text


def test_a_script_reads_as_a_sentence_with_where_it_was_learned_and_where_it_shows_up(
    as_maya, alex, maya
):
    the_map = _map_of(maya, alex)
    event = _add_event(the_map, alex, title="Dad left for work abroad", age_from=5)
    moment = _moment(maya, shared=False)
    history.add_script(
        by=maya.user,
        history=the_map,
        version=the_map.version,
        data={"when": "someone goes quiet", "expect": "they are leaving", "so_i": "chase"},
        learned_in=[event],
        shows_up_in=[moment],
    )

    response = as_maya.get("/home/history/")

    html = response.text
    assert (
        'When <span class="blank">someone goes quiet</span>, I expect '
        '<span class="blank">they are leaving</span>, so I <span class="blank">chase</span>.'
    ) in html
    [script] = response.context["scripts"]
    assert [e.title for e in script.events] == ["Dad left for work abroad"]
    assert [m.url for m in script.moments] == [f"/home/moments/{moment.pk}/"]


def test_the_clinician_sees_only_shared_moments_linked_to_a_script(as_alex, alex, maya):
    the_map = _map_of(maya, alex)
    shared = _moment(maya, shared=True, situation="Asked for a hug")
    private = _moment(maya, shared=False, situation="Read his messages at night")
    history.add_script(
        by=maya.user,
        history=the_map,
        version=the_map.version,
        data={"when": "he is late", "expect": "he has someone else", "so_i": "check"},
        shows_up_in=[shared, private],
    )

    response = as_alex.get(f"/clients/{maya.pk}/history/")

    [script] = response.context["scripts"]
    assert [m.label.split(" · ")[-1] for m in script.moments] == ["Asked for a hug"]
    assert "Read his messages at night" not in response.text
    older = as_alex.get(f"/clients/{maya.pk}/history/versions/{the_map.version}/")
    assert "Asked for a hug" in older.text
    assert "Read his messages at night" not in older.text


def test_a_clinician_cannot_link_a_private_moment(as_alex, alex, maya):
    the_map = _map_of(maya, alex)
    private = _moment(maya, shared=False)

    response = as_alex.post(
        f"/clients/{maya.pk}/history/scripts/add/",
        {
            "version": the_map.version,
            "when": "plans change",
            "expect": "I don't matter",
            "so_i": "go silent",
            "shows_up_in": [str(private.pk)],
        },
    )

    assert response.status_code == 200
    assert "shows_up_in" in response.context["form"].errors
    assert "plans change</textarea>" in response.text
    assert not Script.objects.exists()
    with pytest.raises(history.LinkNotAllowed):
        history.add_script(
            by=alex,
            history=the_map,
            version=the_map.version,
            data={"when": "a", "expect": "b", "so_i": "c"},
            shows_up_in=[private],
        )


def test_a_clinicians_script_edit_keeps_links_to_moments_they_were_not_shown(as_alex, alex, maya):
    the_map = _map_of(maya, alex)
    shared = _moment(maya, shared=True)
    private = _moment(maya, shared=False)
    script = history.add_script(
        by=maya.user,
        history=the_map,
        version=the_map.version,
        data={"when": "he is late", "expect": "he is gone", "so_i": "call ten times"},
        shows_up_in=[shared, private],
    )
    url = f"/clients/{maya.pk}/history/scripts/{script.pk}/edit/"
    form = as_alex.get(url).context["form"]
    assert form.initial["shows_up_in"] == [shared.pk]

    as_alex.post(
        url,
        {
            "version": form.initial["version"],
            "when": "he is late",
            "expect": "he is gone",
            "so_i": "call, then breathe",
        },
    )

    script.refresh_from_db()
    assert script.so_i == "call, then breathe"
    assert list(script.shows_up_in.all()) == [private]


def test_a_script_links_only_events_of_the_same_map(as_maya, alex, sam, maya, priya):
    the_map = _map_of(maya, alex)
    other = _add_event(_map_of(priya, sam), sam, title="Not Maya's")

    response = as_maya.post(
        "/home/history/scripts/add/",
        {
            "version": the_map.version,
            "when": "a",
            "expect": "b",
            "so_i": "c",
            "learned_in": [str(other.pk)],
        },
    )

    assert "learned_in" in response.context["form"].errors
    assert not Script.objects.filter(history=the_map).exists()


def test_every_save_is_a_version_that_can_be_read_later(as_maya, alex, maya):
    the_map = _map_of(maya, alex)
    event = _add_event(the_map, alex, title="Moved to the coast", age_from=8)
    history.edit_event(
        by=maya.user, event=event, version=the_map.version, data={"title": "The coast"}
    )

    listing = as_maya.get("/home/history/versions/")
    old = as_maya.get("/home/history/versions/2/")

    assert [(v.version, v.saved_by) for v, _url in listing.context["rows"]] == [
        (3, maya.user),
        (2, alex),
        (1, alex),
    ]
    assert [e.title for e in old.context["events"]] == ["Moved to the coast"]
    assert "This is an earlier version" in old.text
    assert as_maya.get("/home/history/versions/9/").status_code == 404


# --- who may, and the record of it ------------------------------------------------------------------

CLINICIAN_PAGES = [
    "",
    "edit/",
    "events/add/",
    "events/{event}/edit/",
    "events/{event}/delete/",
    "scripts/add/",
    "scripts/{script}/edit/",
    "scripts/{script}/delete/",
    "versions/",
    "versions/1/",
]


@pytest.fixture
def mayas_map(alex, maya):
    the_map = _map_of(maya, alex)
    event = _add_event(the_map, alex, title="Grandma")
    script = history.add_script(
        by=alex,
        history=the_map,
        version=the_map.version,
        data={"when": "a", "expect": "b", "so_i": "c"},
    )
    return the_map, event, script


@pytest.mark.parametrize("page", CLINICIAN_PAGES)
@pytest.mark.parametrize("who", ["sam", "priya", "maya"])
def test_only_the_care_team_opens_a_clients_map(request, page, who, maya, mayas_map):
    _map, event, script = mayas_map
    person = request.getfixturevalue(who)
    user = person if who == "sam" else person.user
    url = f"/clients/{maya.pk}/history/" + page.format(event=event.pk, script=script.pk)

    web = sign_in(user)

    assert web.get(url).status_code == 404
    assert web.post(url, {"version": 99}).status_code in (404, 405)


@pytest.mark.parametrize("page", CLINICIAN_PAGES)
def test_anonymous_people_are_sent_to_sign_in(client, page, maya, mayas_map):
    _map, event, script = mayas_map
    for url in (
        f"/clients/{maya.pk}/history/" + page.format(event=event.pk, script=script.pk),
        "/home/history/" + page.format(event=event.pk, script=script.pk),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_client_reaches_only_their_own_map_and_its_items(as_priya, priya, mayas_map):
    _map, event, script = mayas_map

    assert as_priya.get(f"/home/history/events/{event.pk}/edit/").status_code == 404
    assert as_priya.get(f"/home/history/scripts/{script.pk}/delete/").status_code == 404
    own = as_priya.get("/home/history/")
    assert own.status_code == 200
    assert own.context["client"] == priya
    assert own.context["events"] == []


def test_clinicians_have_no_home_map_and_unknown_ids_are_404(as_alex, maya, mayas_map):
    assert as_alex.get("/home/history/").status_code == 404
    assert as_alex.get(f"/clients/{maya.pk}/history/events/{uuid.uuid4()}/edit/").status_code == 404
    assert as_alex.get(f"/clients/{maya.pk}/history/events/not-a-uuid/edit/").status_code == 404
    assert as_alex.get(f"/clients/{uuid.uuid4()}/history/").status_code == 404


def test_every_read_and_write_is_audited_without_clinical_text(as_alex, as_maya, alex, maya):
    def events():
        return list(
            AuditEvent.objects.filter(client_id=maya.pk, object_type__startswith="history")
            .order_by("seq")
            .values_list("actor_id", "action", "object_type")
        )

    as_alex.get(f"/clients/{maya.pk}/history/")
    version = _version_in_form(as_maya.get("/home/history/edit/"))
    as_maya.post("/home/history/edit/", {"version": version, "narrative": "Secret words"})
    as_alex.post(
        f"/clients/{maya.pk}/history/events/add/",
        _event_data(version=version + 1, title="Hidden title"),
    )
    as_maya.post("/home/history/edit/", {"version": version, "narrative": "Stale words"})
    as_maya.get("/home/history/versions/")

    assert events() == [
        (alex.pk, "create", "history_map"),
        (alex.pk, "read", "history_map"),
        (maya.user.pk, "read", "history_map"),
        (maya.user.pk, "update", "history_narrative"),
        (alex.pk, "create", "history_event"),
        (maya.user.pk, "read", "history_map"),  # the stale refusal shows the current version
        (maya.user.pk, "read", "history_map"),
    ]
    dump = json.dumps(
        list(AuditEvent.objects.values("detail", "object_id", "object_type")), default=str
    )
    for secret in ("Secret words", "Hidden title", "Stale words"):
        assert secret not in dump


def test_map_page_query_count_stays_constant_as_the_map_grows(
    as_alex, alex, maya, django_assert_num_queries
):
    def grow(n):
        the_map = _map_of(maya, alex)
        for i in range(n):
            event = _add_event(the_map, alex, title=f"Event {i}", age_from=i)
            moment = _moment(maya, shared=True)
            history.add_script(
                by=alex,
                history=the_map,
                version=the_map.version,
                data={"when": "a", "expect": "b", "so_i": "c"},
                learned_in=[event],
                shows_up_in=[moment],
            )

    url = f"/clients/{maya.pk}/history/"
    grow(1)
    as_alex.get(url)
    with django_assert_num_queries(17):
        as_alex.get(url)
    grow(6)
    with django_assert_num_queries(17):
        response = as_alex.get(url)
    assert len(response.context["events"]) == 7
    assert len(response.context["scripts"]) == 7


def test_a_colleague_added_to_the_care_team_can_write_too(alex, sam, maya):
    domain.add_to_care_team(by=alex, client=maya, clinician=sam)
    web = sign_in(sam)
    version = _version_in_form(web.get(f"/clients/{maya.pk}/history/edit/"))

    response = web.post(
        f"/clients/{maya.pk}/history/edit/", {"version": version, "narrative": "From Sam"}
    )

    assert response.status_code == 302
    assert HistoryMap.objects.get(client=maya).narrative == "From Sam"
    assert factories.has_mfa(sam)


def test_the_map_is_stored_encrypted(alex, maya):
    the_map = _map_of(maya, alex)
    history.save_narrative(
        by=alex, history=the_map, version=the_map.version, narrative="Grandma's kitchen"
    )
    _add_event(the_map, alex, title="Grandma's kitchen")

    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative FROM understand_historymap")
        [(narrative,)] = cursor.fetchall()
        cursor.execute("SELECT title FROM understand_historyevent")
        [(title,)] = cursor.fetchall()
        cursor.execute("SELECT snapshot FROM understand_historyversion")
        snapshots = [row[0] for row in cursor.fetchall()]
    assert "Grandma" not in narrative + title + "".join(snapshots)


def test_each_person_gets_the_links_of_their_own_pages(as_alex, as_maya, maya, mayas_map):
    _map, event, _script = mayas_map

    clinician = as_alex.get(f"/clients/{maya.pk}/history/")
    client = as_maya.get("/home/history/")

    assert clinician.context["events"][0].edit_url == (
        f"/clients/{maya.pk}/history/events/{event.pk}/edit/"
    )
    assert client.context["events"][0].edit_url == f"/home/history/events/{event.pk}/edit/"
    assert f'href="/clients/{maya.pk}/"' in clinician.text
    assert 'href="/home/"' in client.text
