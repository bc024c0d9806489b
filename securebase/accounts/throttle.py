"""Sign-in friction per (account, address): wrong passwords and codes slow down whoever sends them
from that address, never the real person signing in from somewhere else.

The first few failures cost nothing; after that each failure doubles the wait before the next
password from that (account, address) is even checked, up to a cap. A full sign-in clears it.
Counts live in the cache, keyed by an HMAC of the email (never the email in clear) and the address.
"""

from __future__ import annotations

import ipaddress
import math
import time
from contextlib import contextmanager

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import Signal
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from securebase.core.identifiers import normalise_email

# Sent when a password is refused unchecked because its (account, address) must still wait;
# the audit receiver (accounts/signals.py) records it for known accounts.
login_throttled = Signal()  # kwargs: request, email

KEY_SALT = "securebase.accounts.throttle"
# Waiting for another attempt of the same pair: at most 50 × 20 ms; a lock outlives no crash.
LOCK_TRIES = 50
LOCK_RETRY_SECONDS = 0.02
LOCK_TIMEOUT = 10
BURST_WAIT = 60.0
# An IPv6 client usually holds a whole /64, so the address counted is its network.
IPV6_PREFIX = 64


def normalised_email(email: str) -> str:
    return normalise_email(email)


def client_address(request) -> str:
    """The client's address as allauth's own rate limits see it (REMOTE_ADDR, or the trusted
    proxy header when configured), an IPv6 address reduced to its /64."""
    try:
        raw = get_adapter(request).get_client_ip(request)
    except PermissionDenied:  # no address at all (a request built in code): one bucket for those
        return "unknown"
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw
    if address.version == 6:
        return str(ipaddress.IPv6Network(f"{address}/{IPV6_PREFIX}", strict=False).network_address)
    return str(address)


def _cache_key(request, email: str) -> str:
    digest = salted_hmac(KEY_SALT, normalised_email(email), algorithm="sha256").hexdigest()
    return f"signin-throttle:{digest}:{client_address(request)}"


def delay_after(failures: int) -> float:
    """Seconds to wait after this many failures in a row: none for the first few, then doubling
    from the first wait up to the longest."""
    free = settings.SIGNIN_FREE_FAILURES
    if failures <= free:
        return 0.0
    first = settings.SIGNIN_FIRST_WAIT.total_seconds()
    longest = settings.SIGNIN_LONGEST_WAIT.total_seconds()
    return min(first * 2 ** min(failures - free - 1, 32), longest)


def seconds_to_wait(request, email: str, *, now: float | None = None) -> float:
    """How long this (account, address) must still wait before its next try; 0 when it may try."""
    now = time.time() if now is None else now
    entry = cache.get(_cache_key(request, email))
    if not entry:
        return 0.0
    return max(0.0, entry["until"] - now)


@contextmanager
def one_attempt_at_a_time(request, email: str):
    """Check one password of this (account, address) at a time, so a burst sent in parallel cannot
    slip past a wait its own failures are about to earn. Yields whether this attempt may go on;
    a burst that keeps the lock busy is refused like a wait."""
    lock = _cache_key(request, email) + ":lock"
    for _ in range(LOCK_TRIES):
        if cache.add(lock, 1, timeout=LOCK_TIMEOUT):
            try:
                yield True
            finally:
                cache.delete(lock)
            return
        time.sleep(LOCK_RETRY_SECONDS)
    yield False


def record_failure(request, email: str, *, now: float | None = None) -> float:
    """Count one wrong password or code from this (account, address); returns the wait it earns."""
    now = time.time() if now is None else now
    key = _cache_key(request, email)
    entry = cache.get(key) or {"failures": 0, "until": 0.0}
    failures = entry["failures"] + 1
    wait = delay_after(failures)
    cache.set(
        key,
        {"failures": failures, "until": now + wait},
        timeout=int(settings.SIGNIN_FORGET_FAILURES_AFTER.total_seconds()),
    )
    return wait


def forget(request, email: str) -> None:
    """A full sign-in from this address: its earlier failures no longer count."""
    cache.delete(_cache_key(request, email))


def wait_message(seconds: float) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Too many failed attempts from this device. Try again in %(count)d minute.",
        "Too many failed attempts from this device. Try again in %(count)d minutes.",
        minutes,
    ) % {"count": minutes}
