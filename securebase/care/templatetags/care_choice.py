"""Template helpers of the client's choices (securebase.care.choice.domain)."""

from django import template

from securebase.care.choice import domain as choice
from securebase.practise.homework.domain import GENTLE_WEEKLY_LIMIT

register = template.Library()


@register.simple_tag
def reflective_prompts() -> list[tuple[str, str]]:
    """The self-supervision prompts as (key, words in the active language)."""
    return [(key, str(text)) for key, text in choice.REFLECTIVE_PROMPTS]


@register.simple_tag
def gentle_weekly_limit() -> int:
    """How many homework items may be due in one week for a client with gentle pacing."""
    return GENTLE_WEEKLY_LIMIT
