"""Line charts as plain geometry for server-rendered, accessible SVG. Pure; no Django imports.

A chart is a set of series over time on one fixed scale (0–10 for check-ins, an instrument's range
for a measure). The template (``plan/_chart.html``) draws it with a title, a description and the
same numbers as a table, so nothing is only visual. Change markers use shape as well as colour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 36
PALETTE = ("#24588f", "#b3261e", "#1f6b3a", "#7a4b00", "#5b3f8c", "#00696b")


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[dt.date, float | None]]  # oldest first; None = a gap
    # Optional marks on points: (date, "improved" | "deteriorated" | "milestone", label).
    marks: Sequence[tuple[dt.date, str, str]] = ()


@dataclass
class DrawnSeries:
    label: str
    colour: str
    path: str
    dots: list[dict] = field(default_factory=list)  # x, y, value, date
    marks: list[dict] = field(default_factory=list)  # x, y, kind, label, points (polygon)


@dataclass
class Chart:
    key: str
    title: str
    description: str
    width: int
    height: int
    plot: dict  # left, right, top, bottom in px
    y_ticks: list[dict]
    x_ticks: list[dict]
    series: list[DrawnSeries]
    rows: list[dict]  # for the text alternative: date and one value per series
    empty: bool


def plain_number(value: float) -> str:
    """A value as people write it: 7, 6.5 (one decimal at most)."""
    rounded = round(float(value), 1)
    return f"{rounded:g}" if rounded != int(rounded) else str(int(rounded))


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    span = high - low
    if span <= 0:
        return [low]
    raw = span / (count - 1)
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 0.1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks, value = [], low
    while value <= high + 1e-9:
        ticks.append(round(value, 2))
        value += step
    return ticks


def _marker(kind: str, x: float, y: float) -> str:
    if kind == "improved":  # triangle pointing up
        return f"{x:.1f},{y - 8:.1f} {x - 7:.1f},{y + 5:.1f} {x + 7:.1f},{y + 5:.1f}"
    if kind == "deteriorated":  # triangle pointing down
        return f"{x:.1f},{y + 8:.1f} {x - 7:.1f},{y - 5:.1f} {x + 7:.1f},{y - 5:.1f}"
    return f"{x:.1f},{y - 7:.1f} {x + 7:.1f},{y:.1f} {x:.1f},{y + 7:.1f} {x - 7:.1f},{y:.1f}"


def line_chart(
    key: str,
    title: str,
    series: Sequence[Series],
    *,
    y_range: tuple[float, float],
    description: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    date_label=lambda d: d.strftime("%d %b"),
    date_text=lambda d: d.isoformat(),
    value_text=None,
) -> Chart:
    """Place every point of every series on one time axis and one value scale.

    ``start``/``end`` fix the time window (a chosen report period); otherwise the data's own span.
    Values outside ``y_range`` are clamped to its edge so one bad value cannot hide the rest.
    Every text the template prints (a point's title, the table) is made here with ``date_text``
    and ``value_text``, so a long history costs no template filters per point.
    """
    value_text = value_text or plain_number
    low, high = y_range
    dates = [_as_date(d) for s in series for d, v in s.points if v is not None]
    first = start or (min(dates) if dates else None)
    last = end or (max(dates) if dates else None)
    plot = {"left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "bottom": HEIGHT - BOTTOM}
    if not dates or first is None or last is None:
        return Chart(key, title, description, WIDTH, HEIGHT, plot, [], [], [], [], True)
    days = max((last - first).days, 1)

    def x_of(day: dt.date) -> float:
        return plot["left"] + ((day - first).days / days) * (plot["right"] - plot["left"])

    def y_of(value: float) -> float:
        value = min(max(value, low), high)
        return plot["bottom"] - (value - low) / (high - low) * (plot["bottom"] - plot["top"])

    drawn, table = [], {}
    for index, s in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        commands, pen_down = [], False
        item = DrawnSeries(s.label, colour, "")
        values_by_day = {}
        for when, value in s.points:
            day = _as_date(when)
            if value is None:
                pen_down = False
                continue
            x, y = x_of(day), y_of(value)
            commands.append(f"{'L' if pen_down else 'M'}{x:.1f},{y:.1f}")
            pen_down = True
            item.dots.append(
                {
                    "x": round(x, 1),
                    "y": round(y, 1),
                    "value": value,
                    "date": day,
                    "title": f"{s.label}, {date_text(day)}: {value_text(value)}",
                }
            )
            values_by_day[day] = value
            table.setdefault(day, {})[index] = value
        for when, kind, label in s.marks:
            day = _as_date(when)
            if day in values_by_day:
                x, y = x_of(day), y_of(values_by_day[day])
                item.marks.append(
                    {
                        "kind": kind,
                        "label": label,
                        "date": day,
                        "points": _marker(kind, x, y),
                        "title": f"{s.label}, {date_text(day)}: {label}",
                        "note": f"{date_text(day)} · {s.label}: {label}",
                    }
                )
        item.path = " ".join(commands)
        drawn.append(item)
    y_ticks = [{"y": round(y_of(v), 1), "label": value_text(v)} for v in _nice_ticks(low, high)]
    tick_count = min(5, days + 1)
    x_ticks = []
    for i in range(tick_count):
        day = first + dt.timedelta(days=round(i * days / max(tick_count - 1, 1)))
        x_ticks.append({"x": round(x_of(day), 1), "label": date_label(day)})
    rows = [
        {
            "date": day,
            "date_text": date_text(day),
            "values": [values.get(i) for i in range(len(series))],
            "cells": [
                "–" if values.get(i) is None else value_text(values[i]) for i in range(len(series))
            ],
        }
        for day, values in sorted(table.items())
    ]
    return Chart(key, title, description, WIDTH, HEIGHT, plot, y_ticks, x_ticks, drawn, rows, False)
