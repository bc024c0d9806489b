"""Signing out clears what this browser kept for the site, the offline safety plan included."""

from __future__ import annotations

from django.urls import reverse

CLEAR_SITE_DATA = '"cache", "storage"'


class ClearSiteDataOnSignOut:
    """Adds ``Clear-Site-Data`` to a successful sign-out, so a shared phone keeps no copy.

    "storage" also removes the service worker, its cache and drafts kept in local storage: after
    sign-out nothing of the person's stays on the device (the next person to sign in there would
    otherwise see their drafts).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self._paths: frozenset[str] | None = None

    def _sign_out_paths(self) -> frozenset[str]:
        if self._paths is None:
            self._paths = frozenset((reverse("account_logout"), reverse("sign_out_everywhere")))
        return self._paths

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method == "POST"
            and request.path in self._sign_out_paths()
            and response.status_code < 400
        ):
            response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
