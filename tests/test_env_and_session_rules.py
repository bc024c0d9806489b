from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured

from securebase.accounts.sessions import expiry_reason
from securebase.core.env import env_bool, env_int, env_secret

NOW = 1_800_000_000.0
IDLE = timedelta(minutes=30)


@pytest.mark.parametrize(
    ("started_ago", "idle_ago", "expected"),
    [
        (60, 60, None),
        (29 * 60, 29 * 60, None),
        (31 * 60, 31 * 60, "idle"),
        (12 * 3600 + 1, 0, "absolute"),
        (11 * 3600, 10, None),
    ],
)
def test_session_expiry_reasons(started_ago, idle_ago, expected):
    session = {"sb_started": NOW - started_ago, "sb_last_active": NOW - idle_ago}
    assert expiry_reason(session, idle=IDLE, valid_after=None, now=NOW) == expected


def test_a_session_started_before_sign_out_everywhere_is_revoked():
    session = {"sb_started": NOW - 60, "sb_last_active": NOW - 1}
    valid_after = datetime.fromtimestamp(NOW - 30, tz=UTC)
    assert expiry_reason(session, idle=IDLE, valid_after=valid_after, now=NOW) == "revoked"


def test_env_bool_refuses_unclear_values(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", False)


def test_env_int_names_the_variable(monkeypatch):
    monkeypatch.setenv("SOME_MINUTES", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_MINUTES must be a whole number"):
        env_int("SOME_MINUTES", 30)


def test_a_missing_secret_in_production_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.delenv("SOME_SECRET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SOME_SECRET is not set"):
        env_secret("SOME_SECRET", debug=False, local_file=tmp_path / "s", generate=lambda: "x")


def test_a_local_secret_is_generated_once_and_kept_private(monkeypatch, tmp_path):
    monkeypatch.delenv("SOME_SECRET", raising=False)
    first = env_secret("SOME_SECRET", debug=True, local_file=tmp_path / "s", generate=lambda: "a")
    second = env_secret("SOME_SECRET", debug=True, local_file=tmp_path / "s", generate=lambda: "b")
    assert first == second == "a"
    assert (tmp_path / "s").stat().st_mode & 0o777 == 0o600
