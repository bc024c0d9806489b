from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from securebase.care.models import Client
from securebase.core import crypto
from securebase.core.models import DataKey
from tests.factories import make_client

SECRET_TEXT = "Afraid the therapist will leave like Dad did"


def _raw_referral(client) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT referral_reason FROM care_client WHERE id = %s",
            [client.pk.hex if connection.vendor == "sqlite" else client.pk],
        )
        return cursor.fetchone()[0]


def test_encrypted_field_reads_back_the_plain_text(alex):
    client = make_client(alex, referral_reason=SECRET_TEXT)
    assert Client.objects.get(pk=client.pk).referral_reason == SECRET_TEXT


def test_encrypted_field_stores_no_plain_text(alex):
    client = make_client(alex, referral_reason=SECRET_TEXT)
    raw = _raw_referral(client)
    assert SECRET_TEXT not in raw
    assert "Dad" not in raw
    assert raw.startswith(f"s1:{client.pk.hex}:")  # under the client's own data key
    assert crypto.reveal(raw) == SECRET_TEXT


def test_rotate_keys_reencrypts_with_the_newest_key(alex, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    client = make_client(alex, referral_reason=SECRET_TEXT)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate-keys", stdout=open("/dev/null", "w"))  # noqa: SIM115

    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert Client.objects.get(pk=client.pk).referral_reason == SECRET_TEXT
    # The client's data key is now wrapped by the new key alone, and opens the stored value.
    wrapped = DataKey.objects.get(pk=client.pk).wrapped
    data_key = Fernet(Fernet(new_key.encode()).decrypt(wrapped.encode()))
    token = _raw_referral(client).removeprefix(f"s1:{client.pk.hex}:")
    assert data_key.decrypt(token.encode()).decode() == SECRET_TEXT


def test_a_value_under_a_removed_key_is_a_clear_error(alex, settings):
    client = make_client(alex, referral_reason=SECRET_TEXT)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    try:
        Client.objects.get(pk=client.pk)
    except ImproperlyConfigured as exc:
        assert "rotate-keys" in str(exc)
    else:
        raise AssertionError("reading with the wrong key must fail loudly")


def test_rotate_keys_moves_words_from_before_data_keys_under_the_clients_key(alex):
    client = make_client(alex)
    Client.objects.filter(pk=client.pk).update(referral_reason=SECRET_TEXT)  # the practice keys
    assert not _raw_referral(client).startswith("s1:")
    call_command("rotate-keys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _raw_referral(client).startswith(f"s1:{client.pk.hex}:")
    assert Client.objects.get(pk=client.pk).referral_reason == SECRET_TEXT
