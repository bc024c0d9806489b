import hashlib
import json
import uuid

import pytest

from securebase.care import domain
from securebase.care.models import Client
from securebase.core.idempotency import SubmissionKeyReused, body_fingerprint

DATA = {
    "name": "Noor Haddad",
    "email": "noor@example.org",
    "language": "en",
    "preferred_name": "",
    "referral_reason": "",
}


def test_repeating_a_submission_returns_the_first_record(alex, practice):
    key = uuid.uuid4()
    first, created = domain.create_client(by=alex, practice=practice, data=DATA, submission_id=key)
    again, created_again = domain.create_client(
        by=alex, practice=practice, data=DATA, submission_id=key
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Client.objects.with_email(None, "noor@example.org").count() == 1


def test_the_same_key_with_a_different_body_is_refused(alex, practice):
    key = uuid.uuid4()
    domain.create_client(by=alex, practice=practice, data=DATA, submission_id=key)
    with pytest.raises(SubmissionKeyReused):
        domain.create_client(
            by=alex, practice=practice, data={**DATA, "name": "Someone Else"}, submission_id=key
        )
    assert Client.objects.with_email(None, "noor@example.org").count() == 1


def test_another_persons_key_never_returns_their_record(alex, sam, practice):
    key = uuid.uuid4()
    alex_client, _ = domain.create_client(by=alex, practice=practice, data=DATA, submission_id=key)
    sam_client, created = domain.create_client(
        by=sam, practice=practice, data=DATA, submission_id=key
    )
    assert created is True
    assert sam_client.pk != alex_client.pk


def test_the_fingerprint_of_a_submission_is_keyed_not_a_bare_hash_of_the_words():
    body = {"text": "I want to die"}
    bare = hashlib.sha256(
        json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    assert body_fingerprint(body) != bare
    assert body_fingerprint(body) == body_fingerprint(dict(body))
