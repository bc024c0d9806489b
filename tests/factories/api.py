"""API credentials."""

from securebase.accounts import tokens


def bearer(user, scope="read"):
    """Headers carrying a fresh personal access token of ``user`` with ``scope``."""
    _token, secret = tokens.create_token(user, name="test", scope=scope)
    return {"Authorization": f"Bearer {secret}"}
