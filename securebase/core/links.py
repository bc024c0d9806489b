"""Links to this site: absolute ones, for emails and anything else read away from a browser tab,
and those of a client's pages, which differ for the client and their care team.

Every absolute link starts with the one configured address, ``settings.SITE_URL`` (see
``securebase.core.env.env_site_url``), never with the Host header of whatever request caused it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings
from django.urls import reverse


def site_url() -> str:
    """The site's address, without a trailing slash (settings refuse to start without one)."""
    return settings.SITE_URL


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse()``, starting with "/") as a link people can open from an email."""
    if not path.startswith("/"):
        raise ValueError(f"absolute_url needs a path starting with '/', got {path!r}")
    return site_url() + path


@dataclass(frozen=True)
class ClientLinks:
    """The URLs of one client's pages for the person looking: one set of views serves the client
    (URL names ``my_<name>``, no client id) and their care team (the client id first).

    A concept's links subclass this and name their pages with :meth:`url`; ``care_team_prefix``
    is what the care team's URL names add before ``<name>`` (``client_`` for some concepts).
    """

    client: Any
    own: bool

    care_team_prefix: ClassVar[str] = ""

    def url(self, name: str, *args) -> str:
        if self.own:
            return reverse(f"my_{name}", args=args)
        return reverse(f"{self.care_team_prefix}{name}", args=[self.client.pk, *args])

    @property
    def back(self) -> str:
        """The client's home, or the care team's page of the client."""
        if self.own:
            return reverse("client_home")
        return reverse("client_detail", args=[self.client.pk])


@dataclass(frozen=True)
class PlanLinks(ClientLinks):
    """A client's one plan page and its edit page: ``my_<page>`` and ``client_<page>``, each with
    ``_edit`` for the form (the safety plan, the maintenance plan)."""

    page: str = ""

    care_team_prefix: ClassVar[str] = "client_"

    @property
    def plan(self) -> str:
        return self.url(self.page)

    @property
    def edit(self) -> str:
        return self.url(f"{self.page}_edit")
