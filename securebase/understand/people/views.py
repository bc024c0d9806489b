"""Relationship map pages: the client's own map and forms, and the care team's view of what the
client shared. Thin: access through the policy, changes through ``understand.people``."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from securebase.care import policy
from securebase.care.models import Client
from securebase.core.saving import save_new
from securebase.understand.models import Person, PersonRating
from securebase.understand.people import domain
from securebase.understand.people.forms import AddPersonForm, EditPersonForm, RatePersonForm

REUSED_PERSON = gettext_lazy(
    "This form was already sent with different details. Your words are still here: copy them, then "
    "reload the page to add another person."
)

REUSED_RATING = gettext_lazy(
    "This form was already sent with other answers. Reload the page to rate again."
)

# --- the map's geometry (SVG user units) ----------------------------------------------------------

WIDTH, HEIGHT = 560, 520
CX, CY = WIDTH // 2, HEIGHT // 2
# Each circle is a band around the client: where the band ends, and where its people sit.
BAND_EDGE = {"inner": 85, "middle": 165, "outer": 245}
DOT_RING = {"inner": 55, "middle": 125, "outer": 205}
# People are spread over the ring except a gap at the bottom, where the circle's name is written.
GAP_START, GAP_DEGREES = 110.0, 40.0
# Large type, short labels: on a phone the picture shrinks to about 60 %.
FONT_SIZE, LABEL_CHARS = 19, 12


@dataclass
class Dot:
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str
    short_label: str


@dataclass
class PersonRow:
    person: Person
    ratings: list[PersonRating]
    latest: list[domain.RatingChange]
    dot: Dot | None = None

    @property
    def last_rated(self):
        return self.ratings[-1].rated_at if self.ratings else None


@dataclass
class Ring:
    key: str
    label: str
    edge: int
    label_y: int
    rows: list[PersonRow] = field(default_factory=list)


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def place(rows: list[PersonRow], radius: float, *, beside: bool = True) -> None:
    """Spread one circle's people evenly around it, each label away from the centre.

    Labels go beside a dot on the left and right (``beside``), otherwise above or below it; the
    outer circle has no room beside, so its labels always go above or below.
    """
    n = len(rows)
    span = 360.0 - GAP_DEGREES
    for i, row in enumerate(rows):
        angle = math.radians(GAP_START + (i + 0.5) * span / n)
        cos, sin = math.cos(angle), math.sin(angle)
        x, y = CX + radius * cos, CY + radius * sin
        if beside and cos > 0.35:
            anchor, lx, ly = "start", x + 12, y + 6
        elif beside and cos < -0.35:
            anchor, lx, ly = "end", x - 12, y + 6
        else:
            anchor, lx, ly = "middle", x, (y - 14 if sin < 0 else y + FONT_SIZE + 10)
        row.dot = Dot(
            x=round(x, 1),
            y=round(y, 1),
            label_x=round(lx, 1),
            label_y=round(ly, 1),
            anchor=anchor,
            short_label=_short(row.person.name),
        )


def map_rings(rows: list[PersonRow]) -> list[Ring]:
    """The three circles, outer first (the SVG paints them in that order), with people placed."""
    labels = dict(Person.Circle.choices)
    rings = []
    for key in reversed(domain.CIRCLES):
        ring = Ring(
            key=key,
            label=str(labels[key]),
            edge=BAND_EDGE[key],
            label_y=CY + BAND_EDGE[key] - 12,
            rows=[r for r in rows if r.person.circle == key],
        )
        place(ring.rows, DOT_RING[key], beside=key != Person.Circle.OUTER)
        rings.append(ring)
    return rings


def person_rows(people) -> list[PersonRow]:
    """People (from :func:`domain.circle_for`), each with their ratings, oldest first."""
    return [PersonRow(p, p.rating_list, domain.latest_with_change(p.rating_list)) for p in people]


def _map_context(client: Client, rows: list[PersonRow]) -> dict:
    return {
        "client": client,
        "rows": rows,
        "rerated": [r for r in rows if len(r.ratings) > 1],
        "rings": map_rings(rows),
        "rating_labels": [str(label) for label in domain.RATINGS.values()],
        "scale": domain.SCALE,
        "svg": {"width": WIDTH, "height": HEIGHT, "cx": CX, "cy": CY, "font_size": FONT_SIZE},
    }


# --- the client's own map -------------------------------------------------------------------------


def _suggestions(client: Client) -> list[str]:
    terms = client.preferred_terms if isinstance(client.preferred_terms, dict) else {}
    return [str(v) for v in terms.values() if isinstance(v, str)]


def _own_person(request, person_id, purpose: str) -> Person:
    """A person on the client's own map (404 otherwise). A page that shows it (a GET) is audited
    as opened for ``purpose``; a save is audited by the domain."""
    if request.method == "GET":
        return domain.own_person_for(request.user, person_id, purpose=purpose, request=request)
    return policy.get_own_entry(request.user, Person, person_id)


@login_required
def my_people(request):
    """The client's circle: the map, a table of everyone with their latest ratings, the history."""
    client = policy.get_own_record_for(request.user)
    everyone = person_rows(
        domain.circle_for(request.user, client, with_archived=True, request=request)
    )
    rows = [r for r in everyone if not r.person.archived]
    context = _map_context(client, rows)
    context["archived"] = [r for r in everyone if r.person.archived]
    context["own"] = True
    return render(request, "understand/people/my_people.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_add(request):
    client = policy.get_own_record_for(request.user)
    suggestions = _suggestions(client)
    if request.method == "POST":
        form = AddPersonForm(request.POST, suggestions=suggestions)
        if form.is_valid():
            person = save_new(
                request,
                form,
                domain.add_person,
                client=client,
                data=form.person_data(),
                ratings=form.ratings(),
                reused=REUSED_PERSON,
            )
            if person is not None:
                messages.success(request, _("%(name)s is on your map.") % {"name": person.name})
                return redirect("people_mine")
    else:
        # No circle is chosen in advance: closeness is the client's to say.
        form = AddPersonForm(initial={"shared": client.shares_by_default}, suggestions=suggestions)
    return render(
        request,
        "understand/people/person_form.html",
        {"form": form, "client": client, "is_new": True, "scale": domain.SCALE},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, person_id):
    person = _own_person(request, person_id, "edit")
    client = person.client
    suggestions = _suggestions(client)
    if request.method == "POST":
        form = EditPersonForm(request.POST, suggestions=suggestions)
        if form.is_valid():
            try:
                domain.edit_person(
                    person=person, by=request.user, data=form.person_data(), request=request
                )
            except domain.PeopleError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Changes saved."))
                return redirect("people_mine")
    else:
        form = EditPersonForm(
            initial={k: getattr(person, k) for k in domain.PERSON_FIELDS}, suggestions=suggestions
        )
    return render(
        request,
        "understand/people/person_form.html",
        {"form": form, "client": client, "person": person, "is_new": False},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_rate(request, person_id):
    person = _own_person(request, person_id, "rating")
    if request.method == "POST":
        form = RatePersonForm(request.POST)
        if form.is_valid():
            rating = save_new(
                request,
                form,
                domain.rate_person,
                person=person,
                ratings=form.ratings(),
                reused=REUSED_RATING,
            )
            if rating is not None:
                messages.success(
                    request, _("New rating for %(name)s saved.") % {"name": person.name}
                )
                return redirect("people_mine")
    else:
        form = RatePersonForm()
    ratings = domain.ratings_of(person)
    return render(
        request,
        "understand/people/rate_form.html",
        {
            "form": form,
            "person": person,
            "previous": ratings[-1] if ratings else None,
            "latest": domain.latest_with_change(ratings),
        },
    )


@login_required
@require_POST
def person_archive(request, person_id):
    person = policy.get_own_entry(request.user, Person, person_id)
    domain.archive_person(person=person, by=request.user, request=request)
    messages.success(
        request,
        _("%(name)s is off your map. Moments that mention them keep their name.")
        % {"name": person.name},
    )
    return redirect("people_mine")


@login_required
@require_POST
def person_restore(request, person_id):
    person = policy.get_own_entry(request.user, Person, person_id)
    domain.restore_person(person=person, by=request.user, request=request)
    messages.success(request, _("%(name)s is back on your map.") % {"name": person.name})
    return redirect("people_mine")


# --- the care team's view -------------------------------------------------------------------------


@login_required
def client_people(request, client_id):
    """The people the client chose to share, for a clinician on their care team."""
    client = policy.get_client_for_care_team(request.user, client_id)
    rows = person_rows(domain.circle_for(request.user, client, request=request))
    context = _map_context(client, rows)
    context["own"] = False
    return render(request, "understand/people/client_people.html", context)
