from django.conf import settings
from django.db import models


class SubmissionKey(models.Model):
    """A client-generated UUID remembered per person, so that a retried submission never duplicates."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    kind = models.CharField(max_length=60)
    body_hash = models.CharField(max_length=64)
    object_pk = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="submission_key_unique_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"


class DataKey(models.Model):
    """One data subject's own encryption key (a client's), wrapped by the practice keys.

    The subject's free text is encrypted under it (``securebase.core.crypto``). Destroying it
    (erasure after the retention period) leaves the rows and the audit chain in place and makes
    the words unreadable: crypto-shredding. The id is the subject's own id (a client's UUID), so a
    row finds its key without a query.
    """

    id = models.UUIDField(primary_key=True)
    # A Fernet key encrypted with FIELD_ENCRYPTION_KEYS; empty once destroyed.
    wrapped = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"data key {self.pk}{' (destroyed)' if self.destroyed_at else ''}"
