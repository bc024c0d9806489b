"""Current TOTP code for a secret (RFC 6238, via allauth's HOTP), for the demo and the tests."""

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value


def current_code(secret: str, at: float | None = None) -> str:
    now = time.time() if at is None else at
    return format_hotp_value(hotp_value(secret, int(now) // app_settings.TOTP_PERIOD))
