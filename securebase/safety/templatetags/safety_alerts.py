"""``{% load safety_alerts %}``: an alert in the care team's words, on pages whose views pass plain
``Alert`` objects (the measures page, the session brief)."""

from django import template

from securebase.safety.alerts import domain as alerts
from securebase.safety.alerts.forms import AcknowledgeForm

register = template.Library()


@register.filter
def alert_row(alert) -> alerts.AlertRow:
    """The alert with its description and the link to what raised it (``safety.alerts.row``)."""
    return alerts.row(alert)


@register.simple_tag
def acknowledge_form():
    """An empty acknowledgement form, for pages whose views do not make one."""
    return AcknowledgeForm()
