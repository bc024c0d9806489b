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
