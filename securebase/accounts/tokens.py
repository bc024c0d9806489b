"""Personal access tokens: created once (the secret is shown once), hashed at rest, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from securebase.accounts.models import ApiToken
from securebase.audit.log import Action, record

TOKEN_PREFIX = "sb_"  # noqa: S105 (a prefix, not a secret)
MAX_DAYS = 366


def _digest(secret: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is enough (no offline guessing).
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(
    user, *, name: str, scope: str = ApiToken.Scope.READ, days: int = 90, request=None
):
    """Return (token, secret). The secret is not stored and cannot be shown again."""
    if scope not in ApiToken.Scope.values:
        raise ValueError(f"scope must be one of {', '.join(ApiToken.Scope.values)}")
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be between 1 and {MAX_DAYS}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name.strip() or "API token",
            prefix=secret[: len(TOKEN_PREFIX) + 6],
            token_hash=_digest(secret),
            scope=scope,
            expires_at=timezone.now() + timedelta(days=days),
        )
        record(
            actor=user,
            action=Action.SECURITY,
            object_type="api_token",
            object_id=token.pk,
            request=request,
            detail={"event": "token_created", "scope": scope, "days": days},
        )
    return token, secret


def tokens_of(user):
    """The person's API tokens (live, expired and revoked), for their account page."""
    return user.api_tokens.all()


def own_token(user, token_id) -> ApiToken | None:
    """One of the person's own tokens, or None (someone else's or unknown)."""
    return ApiToken.objects.filter(user=user, pk=token_id).first()


def revoke_token(token: ApiToken, *, by, request=None) -> None:
    with transaction.atomic():
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
        record(
            actor=by,
            action=Action.SECURITY,
            object_type="api_token",
            object_id=token.pk,
            request=request,
            detail={"event": "token_revoked"},
        )


def revoke_all_tokens(user, *, request=None) -> int:
    """Revoke every API token of this person still working (apps using them stop at their next
    request); each one audited. Returns how many were revoked."""
    with transaction.atomic():
        live = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
        for token in live:
            revoke_token(token, by=user, request=request)
    return len(live)


def authenticate(secret: str) -> ApiToken | None:
    """The usable token for this secret, or None. Marks when it was last used (to the minute)."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=_digest(secret), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
