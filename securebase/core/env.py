"""Small validating readers for configuration from environment variables.

Secure Base is configured through the environment only (DESIGN.md section 4). Local use gets safe
defaults: secrets are generated once and kept under ``var/``; production (``DEBUG=0``) refuses to
start without them.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import time
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no (got {raw!r}).")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {raw!r}).") from exc
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum} (got {value}).")
    return value


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = (os.environ.get(name) or default).strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)} (got {value!r}).")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, *, debug: bool, local_file: Path, generate) -> str:
    """Read a secret; in local (DEBUG) mode fall back to one generated once under ``var/``."""
    raw = os.environ.get(name, "").strip()
    if raw:
        return raw
    if not debug:
        raise ImproperlyConfigured(
            f"{name} is not set: set DEBUG=1 for local use, or SECRET_KEY, FIELD_ENCRYPTION_KEYS, "
            "AUDIT_KEYS and AUDIT_SIGNING_KEY for production (see .env.example)."
        )
    local_file.parent.mkdir(parents=True, exist_ok=True)
    value = generate()
    try:
        # Exclusive create: when several processes start at once, exactly one writes the secret.
        descriptor = os.open(local_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _attempt in range(50):
            existing = local_file.read_text().strip()
            if existing:
                return existing
            time.sleep(0.05)  # the writer has created the file but not yet written it
        raise ImproperlyConfigured(
            f"{local_file} is empty; delete it to generate a new one."
        ) from None
    with os.fdopen(descriptor, "w") as handle:
        handle.write(value + "\n")
    return value


def env_site_url(name: str, *, debug: bool, allowed_hosts: list[str], https: bool) -> str:
    """The address people reach this site at, for links in emails (no trailing slash).

    Unset: locally (DEBUG=1) where ``make demo``/``make run`` serve, http://HOST:PORT (default
    127.0.0.1:8000); in production the first exact host in ALLOWED_HOSTS, and with none a
    configuration error at start-up rather than an email with a broken link later.
    """
    raw = os.environ.get(name, "").strip()
    if raw:
        parts = urlsplit(raw)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            raise ImproperlyConfigured(
                f"{name} must be an address such as https://securebase.example.org (got {raw!r})."
            )
        return raw.rstrip("/")
    if debug:
        host = os.environ.get("HOST", "").strip()
        # Serving on every address (0.0.0.0): links point at this machine's own.
        if host in ("", "0.0.0.0", "::"):  # noqa: S104
            host = "127.0.0.1"
        return f"http://{host}:{env_int('PORT', 8000, minimum=1)}"
    url = site_url_from_hosts(allowed_hosts, https=https)
    if not url:
        raise ImproperlyConfigured(
            f"{name} is not set and ALLOWED_HOSTS names no exact host: set {name} to the address "
            "people use, e.g. https://securebase.example.org (see .env.example)."
        )
    return url


def site_url_from_hosts(hosts: list[str], *, https: bool) -> str:
    """An address from the first exact host (not a wildcard) in ``hosts``; "" when none is."""
    for host in hosts:
        if host and host != "*" and not host.startswith("."):
            return f"{'https' if https else 'http'}://{host}"
    return ""


def generate_secret_key() -> str:
    return secrets.token_urlsafe(50)


def generate_raw_key() -> str:
    """32 random bytes, urlsafe base64: an audit key or an Ed25519 signing key's seed."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def generate_fernet_key() -> str:
    return Fernet.generate_key().decode()


def validate_fernet_keys(name: str, keys: list[str]) -> None:
    """Refuse to start with an encryption key that is not a Fernet key."""
    if not keys:
        raise ImproperlyConfigured(f"{name} must list at least one key.")
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(
                f"{name}: key number {position} is not a Fernet key "
                "(make one with `securebase generate-key`)."
            ) from exc


def decode_raw_key(name: str, position: int, value: str) -> bytes:
    """One key of ``name`` (32 bytes, urlsafe base64), or a one-line configuration error."""
    try:
        raw = base64.urlsafe_b64decode(value.strip().encode())
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ImproperlyConfigured(
            f"{name}: key number {position} is not 32 bytes of urlsafe base64 "
            "(make one with `securebase generate-key --audit`)."
        )
    return raw


def validate_raw_keys(name: str, keys: list[str], *, at_least_one: bool = True) -> None:
    """Refuse to start with an audit key that is not 32 bytes of urlsafe base64."""
    if at_least_one and not keys:
        raise ImproperlyConfigured(f"{name} must list at least one key.")
    for position, key in enumerate(keys, start=1):
        decode_raw_key(name, position, key)
