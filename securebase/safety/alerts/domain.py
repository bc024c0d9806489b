"""The care team's alerts in words: what raised each one, where it came from, and where to look.

One wording everywhere (the alerts page, the caseload, the session brief, the measures page and the
API), so a clinician reads the same sentence wherever the alert appears. An alert never carries the
client's words: for an entry the client did not share it says what kind of entry it was and that
the text is not shown; for a shared entry it links to the entry on the client's pages.

Reading alerts costs a fixed number of queries whatever their number: the rows are built in memory
from the alert, its client (``select_related``) and the instrument files.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from securebase.audit.log import Action, record
from securebase.care import policy
from securebase.measures import definitions
from securebase.plan.checkins.domain import safety_label
from securebase.safety.flags.rule_list import category_labels
from securebase.safety.models import Alert

NOTE_LIMIT = 2000  # characters of an acknowledgement note
# How many acknowledged alerts the alerts page shows below the open ones.
RECENT_ACKNOWLEDGED = 20

# Risk words: where they were found, said once for a shared entry and once for a private one
# (whole sentences, so each language can agree its adjectives with its nouns).
_PRIVATE = gettext_lazy("the client did not share it, so the text is not shown")
_WORDS_IN = {
    "moment": (gettext_lazy("Risk words in a shared moment"), gettext_lazy("a private moment")),
    "journal": (
        gettext_lazy("Risk words in a shared journal entry"),
        gettext_lazy("a private journal entry"),
    ),
    "pause": (gettext_lazy("Risk words in a shared pause"), gettext_lazy("a private pause")),
    "experiment": (
        gettext_lazy("Risk words in a shared behavioural experiment"),
        gettext_lazy("a private behavioural experiment"),
    ),
    "attempt": (
        gettext_lazy("Risk words in a shared ladder attempt"),
        gettext_lazy("a private ladder attempt"),
    ),
    "checkin": (
        gettext_lazy("Risk words in a shared check-in note"),
        gettext_lazy("a private check-in note"),
    ),
    "reframe": (
        gettext_lazy("Risk words in a shared reframing record"),
        gettext_lazy("a private reframing record"),
    ),
    "tool_use": (
        gettext_lazy("Risk words in a shared note on using a tool"),
        gettext_lazy("a private note on using a tool"),
    ),
    "request": (
        gettext_lazy("Risk words in a shared request or boundary"),
        gettext_lazy("a private request or boundary"),
    ),
    "ritual": (gettext_lazy("Risk words in a shared ritual"), gettext_lazy("a private ritual")),
    "coregulation_note": (
        gettext_lazy("Risk words in a shared co-regulation note"),
        gettext_lazy("a private co-regulation note"),
    ),
    # Topics are written for the care team, so always shared.
    "topic": (
        gettext_lazy("Risk words in a topic for the next session"),
        gettext_lazy("a topic for the next session"),
    ),
}
_WORDS_IN_OTHER = (gettext_lazy("Risk words in a shared entry"), gettext_lazy("a private entry"))

# Where a shared entry is read by the care team: (URL name taking the client id, page anchor).
_ENTRY_PAGES = {
    "moment": ("client_moments", "moment-"),
    "journal": ("client_journal", "entry-"),
    "pause": ("client_pauses", "pause-"),
    "experiment": ("client_experiments", "experiment-"),
    "attempt": ("client_ladders", None),
    "checkin": ("client_checkins", None),
    "reframe": ("client_toolkit", None),
    "tool_use": ("client_toolkit", None),
    "request": ("client_toolkit", None),
    "coregulation_note": ("client_together", None),
    "topic": ("session_brief", None),
}


@dataclass(frozen=True)
class AlertRow:
    """One alert as the care team reads it."""

    alert: Alert
    description: str
    link: str | None  # the entry or questionnaire, when the care team may read it
    why: str = ""  # for risk words: the categories and the layers that found them

    @property
    def client(self):
        return self.alert.client

    @property
    def is_risk(self) -> bool:
        return self.alert.kind in Alert.RISK_KINDS


# Open alerts per API page.
ALERTS_LIMIT = 200


def describe(alert: Alert) -> str:
    """What raised the alert, in words, never quoting the client."""
    kind = alert.kind
    detail = alert.detail or {}
    if kind == Alert.Kind.RISK_ITEM:
        return _measure_words(detail)
    if kind == Alert.Kind.RISK_CHECKIN:
        answer = _checkin_answer(detail.get("answer"))
        if not answer:
            return _("Safety question in a check-in: answered yes")
        return _("Safety question in a check-in: “%(answer)s”") % {"answer": answer}
    if kind == Alert.Kind.RISK_WORDS:
        shared, private = _WORDS_IN.get(alert.source_type, _WORDS_IN_OTHER)
        if alert.source_shared:
            return str(shared)
        return _("Risk words in %(entry)s — %(why)s") % {"entry": private, "why": _PRIVATE}
    if kind == Alert.Kind.BOOSTER:
        # One alert per signal, worded by the rule's own module (maintain/boosters.py), which
        # imports this module (through maintain.inputs and measures.domain): a real cycle.
        from securebase.maintain.boosters import reason_text  # noqa: PLC0415

        if not detail.get("code"):
            return _("A booster session may be needed")
        return _("A booster session may be needed: %(reason)s") % {"reason": reason_text(alert)}
    return str(alert.get_kind_display())


def _measure_words(detail: dict) -> str:
    key = detail.get("instrument", "")
    try:
        name = definitions.get(key).short_name
    except KeyError:
        name = key
    items = [
        flag.removeprefix("risk:item")
        for flag in detail.get("flags", [])
        if str(flag).startswith("risk:item")
    ]
    if not name:
        return _("Risk answer in a measure")
    if not items:
        return _("Risk answer in %(measure)s") % {"measure": name}
    if len(items) == 1:
        return _("Risk answer in %(measure)s (item %(item)s)") % {"measure": name, "item": items[0]}
    return _("Risk answer in %(measure)s (items %(items)s)") % {
        "measure": name,
        "items": ", ".join(items),
    }


def _checkin_answer(answer) -> str:
    """The words of the check-in's safety answer, as the client saw them."""
    if not isinstance(answer, int) or isinstance(answer, bool):
        return ""
    label = safety_label(answer)
    return "" if label == str(answer) else label


def source_link(alert: Alert) -> str | None:
    """Where the care team reads what raised the alert: the answered questionnaire, the check-in,
    or the shared entry. None for an entry the client did not share."""
    client_id = alert.client_id
    try:
        if alert.source_type == "administration" and alert.source_id:
            return reverse("administration_detail", args=[client_id, alert.source_id])
        if alert.kind == Alert.Kind.RISK_CHECKIN:
            return reverse("client_checkins", args=[client_id])
        if alert.kind == Alert.Kind.BOOSTER:
            return reverse("client_measures", args=[client_id])
        if not alert.source_shared or alert.source_type not in _ENTRY_PAGES:
            return None
        name, anchor = _ENTRY_PAGES[alert.source_type]
        url = reverse(name, args=[client_id])
    except NoReverseMatch:
        return None
    return f"{url}#{anchor}{alert.source_id}" if anchor and alert.source_id else url


def why(alert: Alert) -> str:
    """Why risk words raised the alert: each category the detector found and the layer that
    found it (the phrase list, or meaning with its similarity), never the client's words."""
    reasons = (alert.detail or {}).get("reasons") or []
    if alert.kind != Alert.Kind.RISK_WORDS or not reasons:
        return ""
    labels = category_labels()
    layers: dict[str, list[str]] = {}  # category → how it was found, in the order found
    for reason in reasons:
        if reason.get("layer") == "semantic":
            score = number_format(reason.get("score", 0), decimal_pos=2)
            found = _("by meaning, similarity %(score)s") % {"score": score}
        else:
            found = _("phrase list")
        layers.setdefault(reason.get("category", ""), []).append(str(found))
    parts = [
        _("%(category)s (%(layers)s)")
        % {"category": labels.get(category, category), "layers": "; ".join(found)}
        for category, found in layers.items()
    ]
    return _("Why: %(reasons)s.") % {"reasons": " · ".join(parts)}


def row(alert: Alert) -> AlertRow:
    return AlertRow(
        alert=alert, description=describe(alert), link=source_link(alert), why=why(alert)
    )


def rows(alerts) -> list[AlertRow]:
    return [row(alert) for alert in alerts]


# --- the care team's lists (through the policy) ---------------------------------------------------


def overview(user, *, request=None) -> tuple[list[AlertRow], list[AlertRow]]:
    """The open alerts of the clinician's care teams and the latest acknowledged ones, as rows;
    audited as a list."""
    open_rows = rows(open_alerts(user))
    acknowledged = rows(recently_acknowledged(user))
    record(
        actor=user,
        action=Action.LIST,
        object_type="alerts",
        request=request,
        detail={"open": len(open_rows), "acknowledged": len(acknowledged)},
    )
    return open_rows, acknowledged


def read_alert(user, alert_id, *, request=None) -> Alert:
    """One alert of the clinician's care teams (404 otherwise), audited as read."""
    alert = policy.get_alert_for_user(user, alert_id)
    record(
        actor=user,
        action=Action.READ,
        object_type="alert",
        object_id=alert.pk,
        client=alert.client,
        request=request,
    )
    return alert


def open_alerts(user) -> QuerySet:
    """Open alerts of the clients on the user's care teams, newest first, with their clients."""
    return policy.open_alerts_for(user).select_related("client").order_by("-created_at", "pk")


def open_alerts_for(
    user, *, offset: int = 0, limit: int | None = None, request=None
) -> list[Alert]:
    """The open alerts of a clinician's care teams (404 for anyone else), with who acknowledged,
    at most ``limit`` (``ALERTS_LIMIT`` when left out); the list is audited."""
    if not policy.can_create_clients(user):  # clinicians only
        raise Http404("Not found.")
    limit = ALERTS_LIMIT if limit is None else limit
    found = list(open_alerts(user).select_related("acknowledged_by")[offset : offset + limit])
    record(
        actor=user,
        action=Action.LIST,
        object_type="alerts",
        request=request,
        detail={"open": len(found)},
    )
    return found


def recently_acknowledged(user, limit: int = RECENT_ACKNOWLEDGED) -> QuerySet:
    """The latest acknowledged alerts of the user's care teams, with who closed them."""
    return (
        policy.alerts_for(user)
        .filter(acknowledged_at__isnull=False)
        .select_related("client", "acknowledged_by")
        .order_by("-acknowledged_at", "pk")[:limit]
    )
