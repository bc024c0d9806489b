"""What the URL confs share: the care team's prefix, mounting the concepts' URL confs at the
root, and the pages that serve the client and their care team alike.

The site's two audiences have their own prefixes: a client's own pages are under ``home/``, and
the care team's pages about one client under ``clients/<client_id>/`` (``CARE_TEAM``: every such
view takes ``client_id`` as a string).
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import URLPattern, URLResolver, include, path

CLIENT_HOME = "home/"
CARE_TEAM = "clients/<str:client_id>/"


def at_root(*confs: str) -> list[URLResolver]:
    """The patterns of each URL conf in ``confs`` (dotted module paths), at the site's root."""
    return [path("", include(conf)) for conf in confs]


def for_both_roles(*pages: tuple[str, Callable, str]) -> list[URLPattern]:
    """Each ``(route, view, name)`` twice, one view serving both: the care team's at
    ``clients/<client_id>/<route>`` named ``<name>``, the client's at ``home/<route>`` named
    ``my_<name>``."""
    return [
        path(f"{prefix}{route}", view, name=f"{name_prefix}{name}")
        for prefix, name_prefix in ((CARE_TEAM, ""), (CLIENT_HOME, "my_"))
        for route, view, name in pages
    ]
