"""How charts word dates and numbers in the reader's language (passed to charts.line_chart)."""

from __future__ import annotations

from django.utils import formats

from securebase.plan.progress import charts


def _date(day) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _number(value: float) -> str:
    rounded = round(float(value), 1)
    return formats.number_format(rounded, 0 if rounded == int(rounded) else 1)


def _axis_date(day) -> str:
    return formats.date_format(day, "j M")  # "25 May", "25 may."


def localised() -> dict:
    """Keyword arguments for ``charts.line_chart``: dates and values as the page shows them."""
    return {"date_text": _date, "value_text": _number, "date_label": _axis_date}


def line_chart(*args, **kwargs) -> charts.Chart:
    """``charts.line_chart`` with dates and values worded for the reader."""
    return charts.line_chart(*args, **localised(), **kwargs)
