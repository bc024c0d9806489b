"""The client's own words for the people and feelings the app talks about."""

from django.utils.translation import gettext_lazy as _

# Keys the app uses, with the default word shown until the client chooses their own.
TERM_DEFAULTS = {
    "partner": _("partner"),
    "mother": _("mother"),
    "father": _("father"),
    "parent": _("parent"),
    "friend": _("close friend"),
    "closeness": _("closeness"),
}


def term(client, key: str) -> str:
    """The client's word for ``key`` if they gave one, else ours (translated)."""
    chosen = (client.preferred_terms or {}).get(key, "") if client is not None else ""
    return chosen.strip() or str(TERM_DEFAULTS.get(key, key))
