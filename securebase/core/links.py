"""Absolute links to this site, for emails and anything else read away from a browser tab.

Every such link starts with the one configured address, ``settings.SITE_URL`` (see
``securebase.core.env.env_site_url``), never with the Host header of whatever request caused it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from securebase.core.env import site_url_from_hosts


def site_url() -> str:
    """The site's address, without a trailing slash."""
    # Production with no SITE_URL and no exact host at start-up: the hosts now in force (a test
    # run adds "testserver") may still name one.
    url = settings.SITE_URL or site_url_from_hosts(settings.ALLOWED_HOSTS, https=settings.HTTPS)
    if not url:
        raise ImproperlyConfigured(
            "SITE_URL is not set: set it to the address people use, e.g. "
            "https://securebase.example.org (see .env.example)."
        )
    return url


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse()``, starting with "/") as a link people can open from an email."""
    if not path.startswith("/"):
        raise ValueError(f"absolute_url needs a path starting with '/', got {path!r}")
    return site_url() + path
