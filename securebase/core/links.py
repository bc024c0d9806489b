"""Absolute links to this site, for emails and anything else read away from a browser tab.

Every such link starts with the one configured address, ``settings.SITE_URL`` (see
``securebase.core.env.env_site_url``), never with the Host header of whatever request caused it.
"""

from __future__ import annotations

from django.conf import settings


def site_url() -> str:
    """The site's address, without a trailing slash (settings refuse to start without one)."""
    return settings.SITE_URL


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse()``, starting with "/") as a link people can open from an email."""
    if not path.startswith("/"):
        raise ValueError(f"absolute_url needs a path starting with '/', got {path!r}")
    return site_url() + path
