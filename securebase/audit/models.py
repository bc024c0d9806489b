"""The append-only, sealed audit log (docs/security.md, "The audit log").

Events form one chain per client (or per practice / person for events about no client), so writers
for different clients never wait on each other. Each event is sealed with an HMAC under a key that
is not in the database (``key_id`` names it). Checkpoints pin the heads of the chains that moved
since the one before, are signed, and are also written to a witness outside the database, so that
deleting, rewriting or wiping events is detected. Database triggers refuse UPDATE, DELETE and
REPLACE on both tables.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        READ = "read", _("read")
        LIST = "list", _("list")
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        DELETE = "delete", _("delete")
        EXPORT = "export", _("export")
        INVITE = "invite", _("invite")
        LOGIN = "login", _("login")
        LOGIN_FAILED = "login_failed", _("login failed")
        LOGOUT = "logout", _("logout")
        SECURITY = "security", _("security")

    chain = models.CharField(max_length=80)
    seq = models.PositiveBigIntegerField()
    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    client_id = models.UUIDField(null=True, blank=True, db_index=True)
    practice_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    via = models.CharField(max_length=10, blank=True)  # web, api, cli
    detail = models.JSONField(default=dict, blank=True)
    key_id = models.CharField(max_length=12)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_unique_chain_seq")
        ]
        indexes = [models.Index(fields=["practice_id", "-at"], name="audit_practice_at")]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action} {self.object_type}"


class AuditChainHead(models.Model):
    """The newest (seq, hash) of each chain; the row lock serialises writers of one chain only.
    ``checkpointed_seq`` is the head the newest checkpoint pinned, so the next one knows what moved.
    """

    chain = models.CharField(max_length=80, primary_key=True)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    checkpointed_seq = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.chain}@{self.seq}"


class AuditCheckpoint(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    heads = models.JSONField()  # {chain: [seq, hash]} of the chains that moved since the last one
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    signer = models.CharField(max_length=12)  # the id of the Ed25519 key that signed it
    signature = models.CharField(max_length=88)

    class Meta:
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"checkpoint {self.seq}"
