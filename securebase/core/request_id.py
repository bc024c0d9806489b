"""One id per request: the proxy's ``X-Request-Id`` (Caddy makes one, deploy/securebase.caddy) or
a new one. It is in the access log (``securebase serve``), in every log line written while the
request runs (``install_record_factory``), and in the response's ``X-Request-Id``, so a person reporting a
problem can quote it."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-Id"
_ACCEPTED = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def current() -> str:
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request_id = given if _ACCEPTED.match(given) else uuid.uuid4().hex
        # Kept until the response is finished (``forget``): Django logs an error response after the
        # middleware has returned it.
        _current.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


def forget(**_) -> None:
    """At the end of each request (``request_finished``)."""
    _current.set("-")


def install_record_factory() -> None:
    """Every log record gets ``request_id`` ("-" outside a request: commands, the worker), the
    records of third-party loggers too (called once, at start-up)."""
    make = logging.getLogRecordFactory()
    if getattr(make, "adds_request_id", False):
        return

    def with_request_id(*args, **kwargs) -> logging.LogRecord:
        record = make(*args, **kwargs)
        record.request_id = _current.get()
        return record

    with_request_id.adds_request_id = True
    logging.setLogRecordFactory(with_request_id)
