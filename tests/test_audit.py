import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from securebase.audit import checkpoints, log
from securebase.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent
from securebase.audit.verification import verify
from tests.factories import make_client, make_clinician, make_practice


def _lift_triggers():
    """What an attacker with write access to the database file could do."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for op in ("update", "delete"):
                cursor.execute(f"DROP TRIGGER IF EXISTS audit_auditevent_no_{op}")
        else:
            cursor.execute(
                "DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent"
            )


def _events_for(client):
    return AuditEvent.objects.filter(chain=f"client:{client.pk}").order_by("seq")


def test_reading_a_client_writes_an_audit_event(as_alex, alex, maya):
    before = _events_for(maya).count()
    as_alex.get(f"/clients/{maya.pk}/")
    event = _events_for(maya).last()
    assert _events_for(maya).count() == before + 1
    assert (event.action, event.actor_id, event.object_type) == ("read", alex.pk, "client")
    assert event.via == "web"
    assert event.ip == "127.0.0.1"


def test_an_intact_log_verifies(alex, maya, priya):
    checkpoints.checkpoint()
    log.record(actor=alex, action="read", object_type="client", client=maya)
    assert verify().ok


def test_the_database_refuses_to_update_or_delete_audit_events(maya):
    event = _events_for(maya).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="read")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_an_edited_event_fails_verification_naming_it(alex, maya):
    log.record(actor=alex, action="read", object_type="client", client=maya)
    target = _events_for(maya).first()
    _lift_triggers()
    AuditEvent.objects.filter(pk=target.pk).update(actor_label="someone-else@example.org")

    result = verify()
    assert not result.ok
    assert f"id={target.pk}" in str(result.problem)
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify")
    assert exc.value.returncode == 1


def test_a_deleted_event_in_the_middle_fails_verification(alex, maya):
    for _ in range(3):
        log.record(actor=alex, action="read", object_type="client", client=maya)
    _lift_triggers()
    AuditEvent.objects.filter(pk=_events_for(maya)[1].pk).delete()
    result = verify()
    assert not result.ok
    assert "missing" in result.problem.message


def test_an_inserted_event_fails_verification(alex, maya):
    log.record(actor=alex, action="read", object_type="client", client=maya)
    events = list(_events_for(maya))
    _lift_triggers()
    for event in reversed(events[1:]):  # make room after the first event
        AuditEvent.objects.filter(pk=event.pk).update(seq=event.seq + 1)
    first = events[0]
    AuditEvent.objects.create(
        chain=first.chain,
        seq=first.seq + 1,
        at=first.at,
        action="read",
        object_type="client",
        prev_hash=first.hash,
        hash="f" * 64,
    )
    result = verify()
    assert not result.ok
    assert f"#{first.seq + 1}" in str(result.problem)


def test_reordered_events_fail_verification(alex, maya):
    log.record(actor=alex, action="read", object_type="client", client=maya)
    first, second = list(_events_for(maya)[:2])
    _lift_triggers()
    AuditEvent.objects.filter(pk=first.pk).update(seq=1000)
    AuditEvent.objects.filter(pk=second.pk).update(seq=first.seq)
    AuditEvent.objects.filter(pk=first.pk).update(seq=second.seq)
    assert not verify().ok


def test_deleting_the_newest_events_is_caught_by_the_checkpoint(alex, maya):
    log.record(actor=alex, action="read", object_type="client", client=maya)
    checkpoints.checkpoint()
    newest = _events_for(maya).last()
    _lift_triggers()
    AuditEvent.objects.filter(pk=newest.pk).delete()
    # An attacker would also wind back the head table, which is an ordinary table.
    previous = _events_for(maya).last()
    AuditChainHead.objects.filter(chain=newest.chain).update(seq=previous.seq, hash=previous.hash)

    result = verify()
    assert not result.ok
    assert "deleted" in result.problem.message


def test_no_clinical_text_reaches_the_audit_log(as_alex, maya):
    as_alex.post(
        f"/clients/{maya.pk}/edit/",
        {
            "name": maya.name,
            "preferred_name": "",
            "email": maya.email,
            "language": "en",
            "country": "GB",
            "referral_reason": "Panic when her partner travels",
            "version": maya.version,
        },
    )
    dump = " ".join(str(e.detail) + e.object_type + e.object_id for e in AuditEvent.objects.all())
    assert "Panic" not in dump
    assert "referral_reason" in dump  # the field name is recorded, never its value


def test_events_of_different_clients_use_separate_chains(alex, maya, priya):
    assert (
        _events_for(maya).first().chain
        != AuditEvent.objects.filter(client_id=priya.pk).first().chain
    )


def test_a_checkpoint_is_written_when_none_is_recent(
    alex, maya, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        log.record(actor=alex, action="read", object_type="client", client=maya)
    assert AuditCheckpoint.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        log.record(actor=alex, action="read", object_type="client", client=maya)
    assert AuditCheckpoint.objects.count() == 1  # the next one is due in an hour


def test_admins_filter_the_audit_log_by_client(as_robin, alex, maya, priya):
    response = as_robin.get("/practice/audit/", {"client": str(maya.pk)})
    assert response.status_code == 200
    events = list(response.context["page"])
    assert events and {e.client_id for e in events} == {maya.pk}


def test_the_audit_filter_answers_htmx_with_just_the_results(as_robin, maya):
    response = as_robin.get(
        "/practice/audit/", {"action": "create"}, headers={"HX-Request": "true"}
    )
    assert "<html" not in response.text
    assert "<table" in response.text


def test_clinicians_cannot_open_the_audit_log(as_alex):
    assert as_alex.get("/practice/audit/").status_code == 404


def test_the_audit_log_shows_only_the_admins_practice(as_robin, db):
    elsewhere = make_client(make_clinician(make_practice("Elsewhere")))
    response = as_robin.get("/practice/audit/")
    assert all(e.client_id != elsewhere.pk for e in response.context["page"])
