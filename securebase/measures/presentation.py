"""Turning score rows into what the results pages show: tables, change markers, the plane."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from securebase.measures import definitions, domain
from securebase.measures.plane import MidpointRule, configured_rule, quadrant
from securebase.measures.targets import short_target_label, target_label

PALETTE = ["#24588f", "#b3261e", "#1f6b3a", "#7a4b00", "#5b3f8c", "#00696b"]
SIZE, MARGIN = 320, 40
SPAN = SIZE - 2 * MARGIN

VERDICT_TEXT = {
    "recovered": _("recovered"),
    "reliably improved": _("reliably improved"),
    "reliably deteriorated": _("reliably deteriorated"),
    "no reliable change": _("no reliable change"),
}


def caveats(found) -> list[str]:
    """What is not yet verified in these instruments' bands, cut-offs and reliable-change
    thresholds, and why, in words for the clinician; and where "recovered" means less than the
    instrument's own definition. ``found``: definitions, panels (``.definition``), or instrument
    keys or short names, or rows that name one (``.instrument`` or ``["instrument"]``), in any mix;
    each instrument once."""
    if isinstance(found, definitions.Definition | str):
        found = [found]
    seen: dict[str, definitions.Definition] = {}
    by_name = {d.short_name: d for d in definitions.registry().values()}
    for item in found or ():
        if isinstance(item, dict):
            item = item.get("instrument", "")
        definition = getattr(item, "definition", None) or getattr(item, "instrument", None) or item
        if isinstance(definition, str):
            definition = definitions.registry().get(definition) or by_name.get(definition)
        if isinstance(definition, definitions.Definition):
            seen.setdefault(definition.key, definition)
    notes: list[str] = []
    for definition in seen.values():
        for sub in definition.subscales:
            where = f"{definition.short_name} {_(sub.name)}"
            if sub.bands_unverified:
                notes.append(
                    _("%(where)s: the band limits are not yet verified: %(why)s")
                    % {"where": where, "why": _(sub.bands_unverified)}
                )
            if sub.cutoff is not None and sub.cutoff.unverified:
                notes.append(
                    _("%(where)s: the cut-off of %(value)s is not yet verified: %(why)s")
                    % {
                        "where": where,
                        "value": f"{sub.cutoff.value:g}",
                        "why": _(sub.cutoff.unverified),
                    }
                )
            spec = sub.reliable_change
            if spec is not None and spec.unverified:
                notes.append(
                    _("%(where)s: the reliable-change threshold is not yet verified: %(why)s")
                    % {"where": where, "why": _(spec.unverified)}
                )
            if sub.recovery_note:
                notes.append(
                    _("%(where)s: “recovered” here is this measure alone. %(note)s")
                    % {"where": where, "note": _(sub.recovery_note)}
                )
    return [str(note) for note in notes]


@dataclass
class PlaneSeries:
    target: str
    label: str
    colour: str
    points: list[dict] = field(default_factory=list)  # x, y, anxiety, avoidance, date, last


@dataclass
class Panel:
    definition: definitions.Definition
    targets: dict[str, list[domain.Point]]
    subscales: list
    plane: list[PlaneSeries] | None
    rule: MidpointRule
    names: dict[str, str] = field(default_factory=dict)  # the client's named relationships

    @property
    def latest(self):
        """The newest point of each relationship (or the one series), for the client's summary."""
        return [
            (target_label(target, self.names) if target else "", points[-1])
            for target, points in self.targets.items()
            if points
        ]

    @property
    def rows(self):
        for target, points in self.targets.items():
            for point in points:
                yield target_label(target, self.names) if target else "", point


def _x(avoidance: float) -> float:
    return round(MARGIN + (avoidance - 1) / 6 * SPAN, 1)


def _y(anxiety: float) -> float:
    return round(MARGIN + (7 - anxiety) / 6 * SPAN, 1)


def plane_series(
    definition,
    targets: dict[str, list[domain.Point]],
    rule: MidpointRule | None = None,
    names: dict[str, str] | None = None,
) -> list[PlaneSeries]:
    rule = rule or configured_rule()
    anxiety_key, avoidance_key = definition.plane["anxiety"], definition.plane["avoidance"]
    series = []
    for index, (target, points) in enumerate(targets.items()):
        line = PlaneSeries(
            target,
            short_target_label(target, names) if target else definition.short_name,
            PALETTE[index % len(PALETTE)],
        )
        usable = [
            p
            for p in points
            if p.scores.get(anxiety_key) is not None and p.scores.get(avoidance_key) is not None
        ]
        for position, point in enumerate(usable):
            anxiety, avoidance = point.scores[anxiety_key], point.scores[avoidance_key]
            line.points.append(
                {
                    "x": _x(avoidance),
                    "y": _y(anxiety),
                    "anxiety": anxiety,
                    "avoidance": avoidance,
                    "date": point.completed_at,
                    "last": position == len(usable) - 1,
                    "quadrant": quadrant(anxiety, avoidance, rule),
                }
            )
        if line.points:
            line.path = " ".join(f"{p['x']},{p['y']}" for p in line.points)
            series.append(line)
    return series


def instrument_panels(
    scores, *, language: str = "en", names: dict[str, str] | None = None
) -> list[Panel]:
    """One panel per instrument the client has scores for, in the registry's order.

    ``names`` are the client's named relationships (``measures.targets.labels_for``)."""
    names = names or {}
    by_key: dict[str, list] = {}
    for row in scores:
        by_key.setdefault(row.instrument_key, []).append(row)
    panels = []
    for key, definition in definitions.registry().items():
        if key not in by_key:
            continue
        targets = domain.history(by_key[key], key)
        rule = configured_rule()
        plane = plane_series(definition, targets, rule, names) if definition.plane else None
        panels.append(Panel(definition, targets, definition.subscales, plane, rule, names))
    return panels


def grid():
    """Axis ticks 1..7 for the plane template."""
    return [{"value": v, "x": _x(v), "y": _y(v)} for v in range(1, 8)]
