"""The relationship map: the people in the client's life now, and how each usually responds.

Every state change here is one transaction that writes its audit event (never the names or words
the client wrote). Only the client themself adds, edits, re-rates or archives people; callers
check that through ``securebase.care.policy`` before calling, as the views and the API do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from securebase.audit.log import Action, record, record_list, record_read
from securebase.care import policy
from securebase.care.models import Client
from securebase.core import idempotency
from securebase.core.errors import InputError
from securebase.understand.models import Person, PersonRating

CIRCLES = (Person.Circle.INNER, Person.Circle.MIDDLE, Person.Circle.OUTER)

# How this person usually responds. Our own simple ratings (not a validated instrument): each is
# "how often" on a 5-point frequency scale, re-rated over time to see the map change.
RATINGS = {
    "reassurance": gettext_lazy("Reassurance"),
    "criticism": gettext_lazy("Criticism"),
    "withdrawal": gettext_lazy("Withdrawal"),
    "reliability": gettext_lazy("Reliability"),
}
RATING_QUESTIONS = {
    "reassurance": gettext_lazy("Reassures or comforts me when I am upset"),
    "criticism": gettext_lazy("Criticises or blames me"),
    "withdrawal": gettext_lazy("Goes quiet, pulls away or becomes hard to reach"),
    "reliability": gettext_lazy("Does what they say; is there when it counts"),
}
SCALE = {
    0: gettext_lazy("never"),
    1: gettext_lazy("rarely"),
    2: gettext_lazy("sometimes"),
    3: gettext_lazy("often"),
    4: gettext_lazy("almost always"),
}
SCALE_MIN, SCALE_MAX = min(SCALE), max(SCALE)
PERSON_FIELDS = ("name", "term", "circle", "shared")
NAME_MAX, TERM_MAX = 120, 60


class PeopleError(InputError):
    """Input the relationship map cannot take; the message is shown to the person."""


# People per list, on the map and per API page.
PEOPLE_LIMIT = 200


def people_for_choice(client: Client) -> QuerySet[Person]:
    """The client's active people, inner circle first: the "with whom" list used everywhere.

    This is the client's own list. To show people to anyone else, filter it through
    ``policy.entries_visible_to`` (a clinician sees only the people the client shared).
    """
    return in_circle_order(Person.objects.filter(client=client, archived=False))


def in_circle_order(people: QuerySet[Person]) -> QuerySet[Person]:
    """Inner → middle → outer, then in the order they were added (names are encrypted)."""
    rank = Case(
        *(When(circle=circle, then=Value(n)) for n, circle in enumerate(CIRCLES)),
        default=Value(len(CIRCLES)),
        output_field=IntegerField(),
    )
    return people.alias(circle_rank=rank).order_by("circle_rank", "created_at", "pk")


def with_ratings(people: QuerySet[Person]) -> list[Person]:
    """These people in circle order, each with ``rating_list`` (oldest first): two queries."""
    ordered = PersonRating.objects.order_by("rated_at", "pk")
    return list(
        in_circle_order(people).prefetch_related(
            Prefetch("ratings", queryset=ordered, to_attr="rating_list")
        )
    )


def circle_for(user, client: Client, *, with_archived: bool = False, request=None) -> list[Person]:
    """The people of the client's map this person may see (all the client's own; the shared
    ones for the care team), with their ratings; the people off the map only with
    ``with_archived``. Audited as a read of the map, counting the people on it."""
    people = Person.objects.all() if with_archived else Person.objects.filter(archived=False)
    found = with_ratings(policy.entries_visible_to(user, client, people))
    record(
        actor=user,
        action=Action.READ,
        object_type="relationship_map",
        object_id=client.pk,
        client=client,
        request=request,
        detail={"count": sum(1 for p in found if not p.archived)},
    )
    return found


def audit_read(*, by, person: Person, purpose: str, request=None) -> None:
    record(
        actor=by,
        action=Action.READ,
        object_type="person",
        object_id=person.pk,
        client=person.client,
        request=request,
        detail={"for": purpose},
    )


def people_for(
    user,
    client,
    *,
    archived: bool = False,
    offset: int = 0,
    limit: int | None = None,
    request=None,
) -> list[Person]:
    """The people this person may see on the client's map (the client: all; the care team: the
    shared ones), in circle order with their ratings, at most ``limit`` (``PEOPLE_LIMIT`` when
    left out); the list is audited."""
    limit = PEOPLE_LIMIT if limit is None else limit
    visible = policy.entries_visible_to(user, client, Person.objects.filter(archived=archived))
    people = with_ratings(visible)[offset : offset + limit]
    record_list(
        actor=user,
        object_type="people",
        client=client,
        count=len(people),
        archived=archived,
        request=request,
    )
    return people


def person_for(user, person_id, *, request=None) -> Person:
    """One person this person may see on a map, audited as a read; 404 otherwise."""
    person = policy.get_entry_for_user(user, Person, person_id)
    record_read(actor=user, object_type="person", obj=person, client=person.client, request=request)
    return person


def own_person_for(user, person_id, *, purpose: str, request=None) -> Person:
    """One person on the signed-in client's own map (404 otherwise), audited as opened for
    ``purpose`` ("edit", "rating")."""
    person = policy.get_own_entry(user, Person, person_id)
    audit_read(by=user, person=person, purpose=purpose, request=request)
    return person


def with_ratings_of(person: Person) -> Person:
    """The person again, with ``rating_list`` (after a change, or a fetch by id)."""
    return with_ratings(Person.objects.filter(pk=person.pk))[0]


def _clean_person(data: dict) -> dict:
    name = str(data.get("name") or "").strip()
    term = str(data.get("term") or "").strip()
    circle = data.get("circle")
    if not name:
        raise PeopleError(_("Give a name or nickname."))
    if len(name) > NAME_MAX or len(term) > TERM_MAX:
        raise PeopleError(_("Keep the name and what you call them short."))
    if circle not in Person.Circle.values:
        raise PeopleError(_("Choose the inner, middle or outer circle."))
    return {"name": name, "term": term, "circle": circle, "shared": bool(data.get("shared"))}


def _clean_ratings(ratings: dict) -> dict[str, int]:
    cleaned = {}
    for key in RATINGS:
        value = ratings.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise PeopleError(_("Rate each of the four, from 0 (never) to 4 (almost always)."))
        if not SCALE_MIN <= value <= SCALE_MAX:
            raise PeopleError(_("Ratings go from 0 (never) to 4 (almost always)."))
        cleaned[key] = value
    return cleaned


def add_person(
    *,
    client: Client,
    by,
    data: dict,
    ratings: dict | None = None,
    submission_id=None,
    request=None,
) -> tuple[Person, bool]:
    """Put someone on the client's map, with a first rating if given. Idempotent on the id.

    ``data`` holds name, term (the client's own word for them), circle and shared; without
    ``shared`` the client's own default (``Client.shares_by_default``) applies.
    """
    if data.get("shared") is None:
        data = {**data, "shared": client.shares_by_default}
    fields = _clean_person(data)
    first = _clean_ratings(ratings) if ratings else None
    body = {"client": str(client.pk), **fields, "ratings": first}

    def create() -> Person:
        person = Person.objects.create(client=client, **fields)
        if first is not None:
            PersonRating.objects.create(person=person, **first)
        record(
            actor=by,
            action=Action.CREATE,
            object_type="person",
            object_id=person.pk,
            client=client,
            request=request,
            detail={"circle": person.circle, "shared": person.shared, "rated": first is not None},
        )
        return person

    # The body names the client, so a key reused for another client is refused, not replayed.
    return idempotency.create_once(
        user=by, key=submission_id, kind="understand.person", body=body, model=Person, create=create
    )


def edit_person(*, person: Person, by, data: dict, request=None) -> Person:
    """Change the name, the client's word for them, the circle or whether it is shared."""
    fields = _clean_person({**{k: getattr(person, k) for k in PERSON_FIELDS}, **data})
    changed = sorted(k for k, v in fields.items() if getattr(person, k) != v)
    with transaction.atomic():
        for key, value in fields.items():
            setattr(person, key, value)
        person.save(update_fields=[*PERSON_FIELDS, "updated_at"])
        record(
            actor=by,
            action=Action.UPDATE,
            object_type="person",
            object_id=person.pk,
            client=person.client,
            request=request,
            detail={"fields": changed, "circle": person.circle, "shared": person.shared},
        )
    return person


def rate_person(
    *,
    person: Person,
    by,
    ratings: dict,
    rated_at: datetime | None = None,
    submission_id=None,
    request=None,
) -> tuple[PersonRating, bool]:
    """Re-rate how this person usually responds: a new rating, the earlier ones kept."""
    values = _clean_ratings(ratings)
    body = {"person": str(person.pk), **values, "rated_at": rated_at}

    def create() -> PersonRating:
        extra = {"rated_at": rated_at} if rated_at is not None else {}
        rating = PersonRating.objects.create(person=person, **values, **extra)
        record(
            actor=by,
            action=Action.CREATE,
            object_type="person_rating",
            object_id=person.pk,
            client=person.client,
            request=request,
            detail={"rating": rating.pk},
        )
        return rating

    return idempotency.create_once(
        user=by,
        key=submission_id,
        kind="understand.person_rating",
        body=body,
        model=PersonRating,
        create=create,
    )


def archive_person(*, person: Person, by, request=None) -> Person:
    """Take someone off the map. Kept, with their ratings, for moments that name them."""
    return _set_archived(person, by=by, archived=True, request=request)


def restore_person(*, person: Person, by, request=None) -> Person:
    """Put an archived person back on the map."""
    return _set_archived(person, by=by, archived=False, request=request)


def _set_archived(person: Person, *, by, archived: bool, request) -> Person:
    with transaction.atomic():
        person.archived = archived
        person.save(update_fields=["archived", "updated_at"])
        record(
            actor=by,
            action=Action.UPDATE,
            object_type="person",
            object_id=person.pk,
            client=person.client,
            request=request,
            detail={"event": "archived" if archived else "restored"},
        )
    return person


# --- reading the ratings -------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingChange:
    """One rating now, and how far it moved since the person was first rated."""

    key: str
    label: str
    value: int
    first: int | None  # None when there is only one rating

    @property
    def word(self) -> str:
        return str(SCALE[self.value])

    @property
    def difference(self) -> int | None:
        return None if self.first is None else self.value - self.first

    @property
    def signed(self) -> str:
        """The change as people write it: +2, −1, ±0."""
        d = self.difference
        if d is None:
            return ""
        return f"+{d}" if d > 0 else (f"\u2212{-d}" if d < 0 else "\u00b10")


def ratings_of(person: Person) -> list[PersonRating]:
    """Every rating of the person, oldest first."""
    return list(person.ratings.order_by("rated_at", "pk"))


def latest_with_change(ratings: list[PersonRating]) -> list[RatingChange]:
    """The newest rating of each kind, with the change since the first (ratings oldest first)."""
    if not ratings:
        return []
    first, last = ratings[0], ratings[-1]
    several = len(ratings) > 1
    return [
        RatingChange(
            key=key,
            label=str(label),
            value=getattr(last, key),
            first=getattr(first, key) if several else None,
        )
        for key, label in RATINGS.items()
    ]
