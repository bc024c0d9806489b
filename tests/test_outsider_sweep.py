"""The outsider sweep: every URL pattern and every API route that takes an id, tried by the four
people who must never see Maya's data (a clinician not on her care team, another client, the
practice admin, an anonymous visitor). Each must get 404 (anonymous people: 404 or the sign-in
page; the API: 401) and no data. The routes are read from Django's resolver and the API's routers,
so a new route is swept without anyone adding it here; a route with a parameter this module
cannot fill makes the sweep fail until an object for it is added to ``maya_objects``."""

from __future__ import annotations

import json
import re
import uuid

import pytest
from django.db import transaction
from django.test import Client as BrowserClient
from django.urls import URLPattern, URLResolver, get_resolver

from securebase.accounts import tokens
from securebase.api.api import api
from securebase.care import domain as care
from securebase.measures import domain as measures
from securebase.practise.scripts import domain as scripts
from securebase.safety.crisis_lines import domain as crisis_lines
from securebase.safety.learning import domain as learning
from securebase.safety.models import RiskAddition
from securebase.understand.history import domain as history
from tests import factories
from tests.clock import FROZEN_NOW
from tests.conftest import sign_in

API_BASE = "/api/v1"
# Written into every object made for Maya: an outsider's answer must never contain it.
SECRET = "Kestrel-lantern-0417"
LOGIN = "/accounts/login/"

# Routes with a parameter that is not the id of anyone's private object; each with the reason it
# is not swept. Keyed by the route as Django spells it.
EXEMPT = {
    # allauth's e-mail confirmation: the key is the credential, and it holds no client data.
    r"accounts/^confirm-email/(?P<key>[-:\w]+)/$": "allauth: the key itself is the credential",
    # allauth's password reset: uidb36 and key are the credential (tests/test_accounts.py).
    r"accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": "allauth reset link",
    # Public by design: whoever holds the invitation token may accept it (test_accounts.py).
    "invitation/<str:token>/": "public; the token is the credential",
    # The reading library: the same public page for everyone.
    "learn/<str:slug>/": "public reading page, the same for everyone",
    # A guided script by name, read by the signed-in client about themself: no one else's id.
    "home/toolkit/scripts/<slug:slug>/": "the same script for every client; no one else's id",
    # Starts a session for the signed-in client's own couple: no one else's id.
    "home/toolkit/together/<slug:slug>/start/": "acts on the requester's own couple only",
    # A version of the signed-in client's own history, by number: no one else's id.
    "home/history/versions/<int:number>/": "the requester's own history; no one else's id",
}

# The query string a page needs to show anything (otherwise it answers 404 to everyone).
QUERY = {"clients/<str:client_id>/measures/paper/": "?key=phq9"}

# Objects that belong to a practice rather than to a client: the admin of Maya's practice may
# reach them (a missed-risk report reaches the admins without the client's name), so the admin
# is given those of another practice instead.
PRACTICE_OBJECTS = {"addition_id", "override_id", "report_id", "record_id"}
# Parameters that are not the id of anyone's private object (maya_objects gives a fixed value).
NOT_IDS = {"user_id", "entry_type", "number", "slug", "key", "uidb36", "token", "step"}

OUTSIDERS = ["clinician not on the care team", "another client", "practice admin", "anonymous"]

_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_API_PARAM = re.compile(r"{(?P<name>[^}:]+)(?::[^}]*)?}")


# --- the routes ----------------------------------------------------------------------------------


def _all_routes(patterns=None, prefix=""):
    """Every URL pattern of the site, as Django spells its route."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLPattern):
            yield route
        elif isinstance(entry, URLResolver):
            yield from _all_routes(entry.url_patterns, route)


def _web_routes():
    """Every URL pattern but the API's (swept by its own routes, ``_api_routes``)."""
    return (route for route in _all_routes() if not route.startswith(API_BASE[1:] + "/"))


def _web_params(route: str) -> list[str]:
    names = [m["name"] for m in _PARAM.finditer(route)]
    return names or re.findall(r"\(\?P<(\w+)>", route)


def _api_routes():
    """(method, path, operation) for every operation of the API."""
    api.urls  # noqa: B018 - ninja lists the nested routers in api._routers once it built them
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    yield method, API_BASE + prefix + path, operation


def _id_taking_web_routes():
    """{route: parameter names} of the URL patterns that take a parameter."""
    return {route: _web_params(route) for route in _web_routes() if _web_params(route)}


def _id_taking_api_routes():
    """{(method, path): (parameter names, operation)} of the API routes that take an id."""
    return {
        (method, path): (_API_PARAM.findall(path), operation)
        for method, path, operation in _api_routes()
        if _API_PARAM.search(path)
    }


# --- Maya's objects ------------------------------------------------------------------------------


def _first(made):
    """A domain function's object, whether or not it answers (object, created)."""
    return made[0] if isinstance(made, tuple) else made


def _practice_objects(practice, clinician, admin, client):
    """A missed-risk report (by ``clinician``, about ``client``), a detector addition and a
    crisis-line entry (by ``admin``) of ``practice``."""
    report = learning.report_missed(
        client,
        by=clinician,
        source_type="journal",
        written_on=FROZEN_NOW.date(),
        category="plan",
        language_code="en",
        wording=f"{SECRET} report",
    )
    addition = RiskAddition.objects.create(
        practice=practice,
        kind="phrase",
        language="en",
        category="plan",
        text=f"{SECRET} phrase",
        added_by=admin,
        # Already out of force: removing it again returns at once, where removing one in force
        # re-evaluates the whole detector (seconds) in the insiders' check below.
        removed_at=FROZEN_NOW,
        removed_by=admin,
    )
    override = crisis_lines.add_override(
        practice.pk,
        by=admin,
        country="ES",
        replaces="",
        entry={
            "name": f"{SECRET} line",
            "kind": "crisis_line",
            "phone": "717 003 717",
            "languages": ["es"],
            "source": "https://telefonodelaesperanza.org/",
            "checked": FROZEN_NOW.date().isoformat(),
        },
    )
    return {
        "report_id": report.pk,
        "addition_id": addition.pk,
        "override_id": override.pk,
        "record_id": client.pk,  # a record on the admin's erasure page
    }


def maya_objects(practice, alex, robin, maya) -> dict:
    """One real object of every kind a route parameter names, all Maya's (shared with her care
    team where sharing exists, so a leak would show), and fixed values for the parameters that
    are not ids."""
    now = FROZEN_NOW
    partner = factories.make_client(alex, name="Partner Ndlovu", with_account=True)
    care.link_partners(by=alex, client=maya, partner=partner)
    maya.refresh_from_db()

    the_map = history.get_or_create_map(client=maya, by=alex)
    event = history.add_event(
        by=alex,
        history=the_map,
        version=the_map.version,
        data={"kind": "other", "title": f"{SECRET} event"},
    )
    the_map.refresh_from_db()
    script = history.add_script(
        by=alex,
        history=the_map,
        version=the_map.version,
        data={"when": f"{SECRET} when", "expect": "they leave", "so_i": "I go quiet"},
    )
    ladder, steps = factories.make_ladder(maya, alex)
    ladder.title = f"{SECRET} ladder"
    ladder.save(update_fields=["title"])
    goal = factories.create_goal(maya, alex, title=f"{SECRET} goal")
    together = _first(scripts.start_session(maya, by=maya.user, exercise="hand-on-heart"))
    token, _secret = tokens.create_token(maya.user, name=f"{SECRET} token")
    completed, _created = measures.record_administration(
        by=alex, client=maya, key="phq9", answers={"": {str(n): 1 for n in range(1, 10)}}
    )
    administration = completed.administration

    return {
        "client_id": maya.pk,
        "alert_id": factories.raise_flag(maya).pk,
        "goal_id": goal.pk,
        "moment_id": factories.MomentFactory(
            client=maya, situation=f"{SECRET} moment", shared=True, to_discuss=True
        ).pk,
        "entry_id": factories.JournalEntryFactory(
            client=maya, text=f"{SECRET} journal", shared=True
        ).pk,
        "person_id": factories.PersonFactory(client=maya, name=f"{SECRET} person", shared=True).pk,
        "ladder_id": ladder.pk,
        "step_id": steps[0].pk,
        "attempt_id": factories.attempt(steps[0], 40, now, shared=True).pk,
        "experiment_id": factories.ExperimentFactory(
            client=maya, belief=f"{SECRET} belief", shared=True
        ).pk,
        "homework_id": factories.HomeworkFactory(client=maya).pk,
        "pause_id": factories.PauseFactory(client=maya, shared=True).pk,
        "administration_id": administration.pk,
        "assignment_id": factories.AssignmentFactory(client=maya).pk,
        "session_id": together.pk,
        "topic_id": factories.SessionTopicFactory(client=maya, text=f"{SECRET} topic").pk,
        "ritual_id": factories.RitualFactory(client=maya, name=f"{SECRET} ritual").pk,
        "request_id": factories.RequestEntryFactory(client=maya, i_ask=f"{SECRET} request").pk,
        "script_id": script.pk,
        "event_id": event.pk,
        "token_id": token.pk,
        **_practice_objects(practice, alex, robin, maya),
        # Not ids of a private object: a fixed valid value.
        "user_id": alex.pk,  # a member of Maya's care team (care_team_remove)
        "entry_type": "journal",  # the kind of entry_id (reflection_new)
        "number": 1,  # the first version of a goal or a history
        "slug": "attachment-patterns",  # a reading page (client_learn_page)
        "step": "request",  # asking for erasure (erasure_step)
    }


def _elsewhere_practice_objects() -> dict:
    """The practice objects of another practice: what Robin, an admin but not of that practice,
    is tried with."""
    other = factories.make_practice("Elsewhere Practice")
    clinician = factories.make_clinician(other, "elsewhere@example.org")
    admin = factories.make_admin(other, "admin@elsewhere.example.org")
    client = factories.make_client(clinician, name="Zoe Elsewhere")
    made = _practice_objects(other, clinician, admin, client)
    assert set(made) == PRACTICE_OBJECTS
    return made


def _objects_for(who, practice, alex, robin, maya) -> dict:
    values = maya_objects(practice, alex, robin, maya)
    if who == "practice admin":
        values.update(_elsewhere_practice_objects())
    return values


def _fill(template: str, values: dict) -> str:
    return _PARAM.sub(lambda m: str(values[m["name"]]), template)


def _fill_api(template: str, values: dict) -> str:
    return _API_PARAM.sub(lambda m: str(values[m["name"]]), template)


# API body fields whose valid values the schema does not spell out (a validator checks them):
# a known instrument, and one answer (an administration takes answers or targets).
FIELD_VALUES = {"instrument": "phq9", "answers": {"1": 0}}


# --- request bodies for the API -----------------------------------------------------------------


def _example(schema: dict, components: dict):
    """A smallest value that ``schema`` (OpenAPI, as the API publishes it) accepts: required
    fields only, each at its minimum, so the request reaches the view and its access check
    rather than stopping at validation."""
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"]
            return _example(options[0], components)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        wanted = [n for n in properties if n in schema.get("required", []) or n in FIELD_VALUES]
        return {
            name: FIELD_VALUES[name]
            if name in FIELD_VALUES
            else _example(properties[name], components)
            for name in wanted
        }
    if kind == "array":
        return [_example(schema.get("items", {}), components)] * schema.get("minItems", 0)
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", -1) + 1)
        return max(low, 0) if schema.get("maximum", 1) >= 0 else low
    if kind == "boolean":
        return False
    formats = {
        "date": FROZEN_NOW.date().isoformat(),
        "date-time": FROZEN_NOW.isoformat(),
        "uuid": str(uuid.uuid4()),
        "email": "someone@example.org",
    }
    if schema.get("format") in formats:
        return formats[schema["format"]]
    return "x" * max(schema.get("minLength", 1), 1)


def _api_body(operation):
    """The smallest valid JSON body of an API operation (None when it takes none)."""
    for model in operation.models:
        if model.__ninja_param_source__ != "body":
            continue
        schema = model.model_json_schema()
        components = schema.get("$defs", {})
        fields = schema["properties"]
        if len(fields) == 1:  # one body parameter: the request's JSON is that parameter
            return _example(next(iter(fields.values())), components)
        return _example(schema, components)
    return None


# --- asking --------------------------------------------------------------------------------------


def _ask(web: BrowserClient, url: str, **extra):
    """GET the URL; for a view that only takes POST (GET answers 405), POST an empty form.
    Answers (method, response or the exception the view raised)."""
    try:
        response = web.get(url, **extra)
        if response.status_code != 405:
            return "GET", response
        return "POST", web.post(url, **extra)
    except Exception as exc:  # noqa: BLE001 - a crash is reported as a finding, with the others
        return "GET/POST", exc


def _leaked(response, secrets) -> list[str]:
    body = response.content.decode(errors="replace")
    return [s for s in secrets if s in body]


def _secrets(maya) -> list[str]:
    """What no outsider may read: the objects' text, Maya's name (or surname) and e-mail."""
    return [SECRET, maya.name, maya.name.split()[-1], maya.email]


def _outsider(name, sam, priya, robin):
    return {
        "clinician not on the care team": sam,
        "another client": priya.user,
        "practice admin": robin,
        "anonymous": None,
    }[name]


# --- every route is known ------------------------------------------------------------------------


def test_every_id_taking_route_is_swept_or_exempt_with_a_reason(practice, alex, robin, maya):
    known = set(maya_objects(practice, alex, robin, maya))
    assert known >= PRACTICE_OBJECTS
    web = _id_taking_web_routes()
    unknown = {
        name
        for route, params in web.items()
        if route not in EXEMPT
        for name in params
        if name not in known
    }
    unknown |= {
        name
        for params, _operation in _id_taking_api_routes().values()
        for name in params
        if name not in known
    }
    assert unknown == set(), (
        f"Route parameters the outsider sweep cannot fill: {sorted(unknown)}. Make one of Maya's "
        "objects for each in tests/test_outsider_sweep.py maya_objects (or, if it is not the id "
        "of anyone's private data, give it a fixed value there or add the route to EXEMPT with "
        "the reason)."
    )
    stale = set(EXEMPT) - set(web)
    assert stale == set(), f"EXEMPT names routes that no longer exist: {sorted(stale)}"
    assert all(reason.strip() for reason in EXEMPT.values())
    # A route that takes the id of someone's private object is never exempt: it is swept.
    exempt_ids = {route: set(web[route]) - NOT_IDS for route in EXEMPT}
    assert {route: ids for route, ids in exempt_ids.items() if ids} == {}
    swept = set(web) - set(EXEMPT)
    assert {"clients/<str:client_id>/", "home/moments/<str:moment_id>/"} <= swept
    # The API's routes as ninja lists them are the ones Django serves.
    served = {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        for route in _all_routes()
        if route.startswith(API_BASE[1:] + "/") and "<" in route
    }
    assert served == {path for _method, path in _id_taking_api_routes()}


# --- the sweep -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", OUTSIDERS)
def test_every_id_taking_page_answers_404_to_an_outsider_and_shows_no_data(
    who, practice, alex, sam, robin, maya, priya
):
    values = _objects_for(who, practice, alex, robin, maya)
    user = _outsider(who, sam, priya, robin)
    web = sign_in(user) if user is not None else BrowserClient()
    secrets = _secrets(maya)

    failures, swept = [], 0
    for route in sorted(_id_taking_web_routes()):
        if route in EXEMPT:
            continue
        url = "/" + _fill(route, values) + QUERY.get(route, "")
        method, response = _ask(web, url)
        swept += 1
        if isinstance(response, Exception):
            failures.append(f"{method} {url} ({route}): raised {response!r}")
            continue
        status = response.status_code
        turned_away = status == 404 or (
            user is None and status == 302 and response["Location"].startswith(LOGIN)
        )
        shown = _leaked(response, secrets)
        if not turned_away or shown:
            where = f" -> {response['Location']}" if status in (301, 302, 303) else ""
            failures.append(f"{method} {url} ({route}): {status}{where}; shows {shown}")

    routes = _id_taking_web_routes()
    assert swept == len(set(routes) - set(EXEMPT)) > 100
    assert failures == [], f"{who} got past {len(failures)} of {swept} routes:\n" + "\n".join(
        failures
    )


@pytest.mark.parametrize("who", OUTSIDERS)
def test_every_id_taking_api_route_answers_404_to_an_outsider_and_returns_no_data(
    who, practice, alex, sam, robin, maya, priya
):
    values = _objects_for(who, practice, alex, robin, maya)
    user = _outsider(who, sam, priya, robin)
    # A write token and an Idempotency-Key, so neither is what turns the outsider away.
    auth = factories.bearer(user, "write") if user is not None else {}
    web = BrowserClient()
    secrets = _secrets(maya)

    failures, swept = [], 0
    for (method, template), (_params, operation) in sorted(_id_taking_api_routes().items()):
        url = _fill_api(template, values)
        headers = {**auth, "Idempotency-Key": str(uuid.uuid4())}
        body = {}
        if method != "GET":
            data = json.dumps(_api_body(operation) or {})
            body = {"data": data, "content_type": "application/json"}
        try:
            response = web.generic(method, url, headers=headers, **body)
        except Exception as exc:  # noqa: BLE001 - reported with the others
            failures.append(f"{method} {url}: raised {exc!r}")
            continue
        swept += 1
        expected = 401 if user is None else 404
        shown = _leaked(response, secrets)
        if response.status_code != expected or shown:
            failures.append(
                f"{method} {url}: {response.status_code} {response.content[:200]!r}; shows {shown}"
            )

    assert swept == len(_id_taking_api_routes()) > 30
    assert failures == [], f"{who} got past {len(failures)} of {swept} API routes:\n" + "\n".join(
        failures
    )


# --- the objects are real ------------------------------------------------------------------------


def _reaches(ask, *args, **kwargs):
    """An insider's answer, its changes rolled back so that one route's POST (a delete, a
    removal) cannot spoil the next route's object."""
    with transaction.atomic():
        try:
            answer = ask(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - reported with the others
            answer = exc
        transaction.set_rollback(True)
    return answer


REACHED = {200, 201, 302, 303, 400, 409, 422}  # past the access check: shown, done or refused


def test_the_sweep_uses_real_objects_that_the_insiders_reach(practice, alex, robin, maya):
    """Without this, a wrong object would make a route answer 404 to everyone and the sweep pass
    for nothing: every swept page lets one insider in (Alex, Maya, or Robin for the practice's
    own objects), every API read lets Alex or Maya in, and the pages show what the outsiders'
    answers are searched for."""
    values = maya_objects(practice, alex, robin, maya)
    secrets = _secrets(maya)
    insiders = [sign_in(alex), sign_in(maya.user), sign_in(robin)]

    refused, showing = [], 0
    for route in sorted(_id_taking_web_routes()):
        if route in EXEMPT:
            continue
        url = "/" + _fill(route, values) + QUERY.get(route, "")
        answers = []
        for web in insiders:
            _method, response = _reaches(_ask, web, url)
            answers.append(getattr(response, "status_code", response))
            if answers[-1] in REACHED:
                showing += bool(_leaked(response, secrets))
                break
        else:
            refused.append(f"{url} ({route}): {answers}")
    # The API's reads (its writes take the same ids, and writing would run the risk detector's
    # model, seconds to load): Alex's or Maya's token reads each.
    api_insiders = [factories.bearer(alex), factories.bearer(maya.user)]
    for (method, template), _params in sorted(_id_taking_api_routes().items()):
        if method != "GET":
            continue
        url = _fill_api(template, values)
        answers = [BrowserClient().get(url, headers=auth).status_code for auth in api_insiders]
        if 200 not in answers:
            refused.append(f"GET {template}: {answers}")

    assert refused == [], "No insider reaches these with the sweep's objects:\n" + "\n".join(
        refused
    )
    assert showing > 50, "the pages insiders read should show Maya's name or her objects' text"
