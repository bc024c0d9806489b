from django import template

from securebase.measures.presentation import VERDICT_TEXT, caveats, grid

register = template.Library()


@register.filter
def get_item(mapping, key):
    if mapping is None:
        return None
    return mapping.get(key)


@register.filter
def verdict(change):
    return VERDICT_TEXT.get(change.verdict, change.verdict) if change else ""


@register.simple_tag
def plane_grid():
    return grid()


@register.filter
def score_format(value):
    if value is None:
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}"


@register.filter
def risk_messages(result, definition):
    """The definition's message for each risk item this result flagged."""
    return [
        risk.message for risk in definition.risk_items if f"risk:item{risk.item}" in result.flags
    ]


@register.inclusion_tag("measures/_caveats.html")
def measure_caveats(found):
    """What is not yet verified in the instruments on this page, for the clinician."""
    return {"caveats": caveats(found)}
