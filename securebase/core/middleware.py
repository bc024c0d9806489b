from __future__ import annotations

import logging
import sys

from django.core.signals import got_request_exception
from django.db import DatabaseError, connections
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from securebase.core.errors import NotAllowed

logger = logging.getLogger("securebase")

UNAVAILABLE = _(
    "Secure Base cannot reach its database right now. Nothing you sent was half-saved: "
    "please try again in a moment."
)


DATABASE_ERROR = "_securebase_database_error"


def _remember_database_error(sender, request=None, **kwargs):
    """Django turns an error raised inside a middleware into a 500 page before this middleware
    sees it; it announces the error first, so the request remembers it was the database's."""
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DatabaseError):
        setattr(request, DATABASE_ERROR, error)


got_request_exception.connect(_remember_database_error, dispatch_uid="securebase-database-error")


class DatabaseUnavailableMiddleware:
    """A database failure answers 503 with a plain message; the next request starts clean.

    Wherever it happens (a view, a middleware reading the session), in every mode. Every write is
    one transaction, so a failure in the middle rolls it back entirely.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except DatabaseError as exc:
            return self._unavailable(request, exc)
        error = getattr(request, DATABASE_ERROR, None)
        return self._unavailable(request, error) if error is not None else response

    def process_exception(self, request, exception):
        if isinstance(exception, DatabaseError):
            return self._unavailable(request, exception)
        if isinstance(exception, NotAllowed):  # a domain refusal no view caught: say why
            context = {"title": _("This cannot be done"), "message": str(exception)}
            return render(request, "core/error.html", context, status=403)
        return None

    def _unavailable(self, request, exc):
        logger.error("database error during %s %s: %s", request.method, request.path, exc)
        for conn in connections.all(initialized_only=True):
            # Drop a broken connection now, so the next request opens a fresh one.
            if conn.in_atomic_block:
                continue
            try:
                conn.close_if_unusable_or_obsolete()
            except DatabaseError:
                conn.close()
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": str(UNAVAILABLE)}, status=503)
        else:
            response = HttpResponse(
                str(UNAVAILABLE), status=503, content_type="text/plain; charset=utf-8"
            )
        response["Retry-After"] = "5"
        return response


class SecurityHeadersMiddleware:
    """Headers Django does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        )
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            response.setdefault("Cache-Control", "no-store")
        return response
