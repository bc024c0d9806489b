"""Relationship targets (ECR-RS): standard codes, or a relationship the client named.

A standard target is stored as its code ("mother", "partner", …). A relationship named in the
client's own words ("my ex, Sam") is free text, so it is never stored as it is: its words live
encrypted in one :class:`~securebase.measures.models.TargetName` row per client, and assignments,
scores and answers hold only its opaque key, ``"own:"`` and 16 hex digits of an HMAC of the client
and the words. The same words (up to case and spacing) give the same key for that client, so a
named relationship's scores still group together over time.

The key is looked up among the client's existing names before a new one is derived, so a changed
``SECRET_KEY`` never splits a relationship in two. Readers turn keys back into words with one
query, :func:`target_labels`, and only when there is a named target to show
(:func:`labels_for`); another client's keys never resolve.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from securebase.measures.models import TargetName

OWN = "own:"
SALT = "securebase.measures.targets.own"


TARGET_LABELS = {
    "mother": _("Mother (or mother figure)"),
    "father": _("Father (or father figure)"),
    "partner": _("Partner"),
    "best_friend": _("Best friend"),
}


SHORT_TARGET_LABELS = {
    "mother": _("Mother"),
    "father": _("Father"),
    "partner": _("Partner"),
    "best_friend": _("Best friend"),
}


# Shown for a named relationship whose words cannot be read here (never another client's words).
NAMED_TARGET = _("Another relationship")


def target_label(target: str, names: dict[str, str] | None = None) -> str:
    """A target in words: a standard one's label, or the client's own words from ``names``
    (``securebase.measures.targets.target_labels``) for a named one."""
    if target in TARGET_LABELS:
        return str(TARGET_LABELS[target])
    if target.startswith("own:"):
        return (names or {}).get(target) or str(NAMED_TARGET)
    return target


def short_target_label(target: str, names: dict[str, str] | None = None) -> str:
    if target in SHORT_TARGET_LABELS:
        return str(SHORT_TARGET_LABELS[target])
    return target_label(target, names)


def standard_codes() -> frozenset[str]:
    return frozenset(TARGET_LABELS)


def is_own(target: str) -> bool:
    """Is this stored target the key of a relationship the client named?"""
    return bool(target) and target.startswith(OWN)


def normalise(label: str) -> str:
    """The words as kept: surrounding and repeated whitespace removed."""
    return " ".join(str(label).split())


def _folded(label: str) -> str:
    return normalise(label).casefold()


def derive_key(client_pk, label: str) -> str:
    """A new key for these words of this client (the caller looks for an existing one first)."""
    digest = salted_hmac(SALT, f"{client_pk}:{_folded(label)}", algorithm="sha256").hexdigest()
    return OWN + digest[:16]


# --- reading ------------------------------------------------------------------------------------


def target_labels(client) -> dict[str, str]:
    """{key: the client's words} for every relationship this client named (one query)."""
    client_id = getattr(client, "pk", client)
    return dict(TargetName.objects.filter(client_id=client_id).values_list("key", "label"))


def labels_for(client, targets: Iterable[str]) -> dict[str, str]:
    """:func:`target_labels` when any of ``targets`` is a named one; otherwise {} and no query."""
    return target_labels(client) if any(is_own(t) for t in targets) else {}


def labels_by_client(client_ids: Iterable) -> dict[object, dict[str, str]]:
    """{client id: {key: words}} for several clients at once (one query)."""
    found: dict[object, dict[str, str]] = {}
    rows = TargetName.objects.filter(client_id__in=list(client_ids)).values_list(
        "client_id", "key", "label"
    )
    for client_id, key, label in rows:
        found.setdefault(client_id, {})[key] = label
    return found


def public_name(target: str, names: dict[str, str] | None) -> str:
    """What the API and exports call a target: its code, or the client's own words."""
    if is_own(target) and names and target in names:
        return names[target]
    return target


# --- writing ------------------------------------------------------------------------------------


def resolve(client, raw: str, names: dict[str, str]) -> str:
    """The stored form of a target as given (no write): "" stays "", a standard code stays a code,
    a key of this client's stays itself, and words become the key of the name with the same words
    (an existing one first) or a new key."""
    text = normalise(raw or "")
    if not text or text in standard_codes():
        return text
    if text in names:
        return text
    folded = text.casefold()
    for key, label in names.items():
        if _folded(label) == folded:
            return key
    return derive_key(client.pk, text)


def remember(client, found: dict[str, str], names: dict[str, str]) -> None:
    """Keep the words of keys that are new to this client (one query when there are any)."""
    new = [
        TargetName(client=client, key=key, label=label)
        for key, label in found.items()
        if key not in names
    ]
    if new:
        TargetName.objects.bulk_create(new, ignore_conflicts=True)
        names.update({name.key: name.label for name in new})


def prepare(client, raws: Iterable[str]) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """Targets as given → (stored forms, the new names to remember, the client's names).

    Reads the client's names only when a target is not a standard code; writes nothing.
    """
    raws = [normalise(r or "") for r in raws]
    codes = standard_codes()
    names = target_labels(client) if any(r and r not in codes for r in raws) else {}
    stored, new = [], {}
    for raw in raws:
        key = resolve(client, raw, {**names, **new})
        if is_own(key) and key not in names:
            new.setdefault(key, raw)
        stored.append(key)
    return stored, new, names


def store(client, raws: Iterable[str]) -> list[str]:
    """The stored forms of targets as given, keeping any new name (call inside the transaction
    that saves them)."""
    stored, new, names = prepare(client, raws)
    remember(client, new, names)
    return stored
