"""The address a request came from, the same for the audit trail and for sign-in limits.

Without a proxy it is REMOTE_ADDR. Behind one (a TLS-terminating proxy such as Caddy,
``BEHIND_PROXY=1``), REMOTE_ADDR is the proxy's own address for everyone, so the client's is the
entry that the nearest ``TRUSTED_PROXY_COUNT`` proxies appended to X-Forwarded-For, counted from
the right: entries further left are whatever the client sent and are never trusted.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The client's IP address in its compressed form, or None when it cannot be told."""
    raw = request.META.get("REMOTE_ADDR")
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        raw = forwarded[-trusted] if len(forwarded) >= trusted else None
    try:
        return ipaddress.ip_address((raw or "").strip()).compressed
    except ValueError:
        return None
