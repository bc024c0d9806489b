"""The audit log's keys, which never live in the database.

- ``AUDIT_KEYS``: secret keys (32 random bytes, urlsafe base64, newest first) for the HMAC that
  chains the events. Someone who can write to the database but lacks the key cannot forge an event
  or recompute a chain. Each event stores the id of the key that sealed it, so older keys keep
  verifying after a rotation.
- ``AUDIT_SIGNING_KEY``: an Ed25519 private key (its 32-byte seed, urlsafe base64) that signs every
  checkpoint. ``AUDIT_VERIFY_KEYS`` lists the public keys of earlier signing keys.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from functools import cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings

from securebase.core.env import decode_raw_key, validate_raw_keys


def key_id(raw: bytes) -> str:
    """A short name for a key that reveals nothing about it (a hash prefix)."""
    return hashlib.sha256(b"securebase-audit-key-id:" + raw).hexdigest()[:12]


@dataclass(frozen=True)
class Keys:
    mac_keys: dict[str, bytes]  # key id -> secret; the first is the current one
    current_mac_id: str
    signer: Ed25519PrivateKey
    signer_id: str
    verifiers: dict[str, Ed25519PublicKey]  # signer id -> public key, the current one included


def public_bytes(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


def public_key_text(keys: Keys) -> str:
    """The current signing key's public half, for AUDIT_VERIFY_KEYS after a rotation."""
    return base64.urlsafe_b64encode(public_bytes(keys.signer.public_key())).decode()


def parse(audit_keys: list[str], signing_key: str, verify_keys: list[str]) -> Keys:
    """Read the three settings, refusing a malformed key with a one-line message."""
    validate_raw_keys("AUDIT_KEYS", audit_keys)
    mac_keys = {}
    for position, value in enumerate(audit_keys, start=1):
        raw = decode_raw_key("AUDIT_KEYS", position, value)
        mac_keys[key_id(raw)] = raw
    signer = Ed25519PrivateKey.from_private_bytes(
        decode_raw_key("AUDIT_SIGNING_KEY", 1, signing_key)
    )
    signer_public = signer.public_key()
    verifiers = {key_id(public_bytes(signer_public)): signer_public}
    for position, value in enumerate(verify_keys, start=1):
        raw = decode_raw_key("AUDIT_VERIFY_KEYS", position, value)
        verifiers[key_id(raw)] = Ed25519PublicKey.from_public_bytes(raw)
    return Keys(
        mac_keys=mac_keys,
        current_mac_id=next(iter(mac_keys)),
        signer=signer,
        signer_id=key_id(public_bytes(signer_public)),
        verifiers=verifiers,
    )


@cache
def _configured(audit_keys: tuple[str, ...], signing_key: str, verify_keys: tuple[str, ...]):
    return parse(list(audit_keys), signing_key, list(verify_keys))


def configured() -> Keys:
    """The keys of the settings (parsed once per distinct setting)."""
    return _configured(
        tuple(settings.AUDIT_KEYS), settings.AUDIT_SIGNING_KEY, tuple(settings.AUDIT_VERIFY_KEYS)
    )


def sign(keys: Keys, digest: str) -> str:
    return base64.urlsafe_b64encode(keys.signer.sign(digest.encode())).decode()


def signature_valid(keys: Keys, signer_id: str, digest: str, signature: str) -> bool:
    public = keys.verifiers.get(signer_id)
    if public is None:
        return False
    try:
        public.verify(base64.urlsafe_b64decode(signature.encode()), digest.encode())
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True
