"""Test settings: production mode (DEBUG=0) with fixed test secrets and a cheaper Argon2id."""

import os
import tempfile

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
# Two keys: the first encrypts, the second exists to exercise rotation.
os.environ.setdefault(
    "FIELD_ENCRYPTION_KEYS",
    "aT2wfy1sBNQvG3T4cOX4bX6j2Lz-JMqAPc_OL0-sXxE=,Yq9m0v8kNqZ1ywT9Y2V7g3kW3xPz0kqX8r6Hn1c2m4Q=",
)
# Audit keys: two HMAC keys (the second exercises rotation) and the checkpoint signing key.
os.environ.setdefault(
    "AUDIT_KEYS",
    "bruzDfe8SPTojE8vb1bCyEiF9_mv2rjbqKx5WqTAxIg=,345V8ca5XCMblwYIFnqXzvsRP2_JdBGmy8JA-d7GjnI=",
)
os.environ.setdefault("AUDIT_SIGNING_KEY", "fghUZEqWINx0kCBk2W03XO1aUbEAKeeR6-MgKg7cLmo=")
# The address in emailed links: the host Django's test client talks to.
os.environ.setdefault("SITE_URL", "http://testserver")
os.environ.setdefault("SECUREBASE_VAR_DIR", tempfile.mkdtemp(prefix="securebase-test-var-"))

from securebase.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["tests.hashers.FastArgon2idHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# The test process's events are rolled back with each test: no checkpoint when pytest exits.
AUDIT_CHECKPOINT_ON_EXIT = False
