"""Field helpers and abstract models that the apps' ``models.py`` share.

Each one stands for a shape that is the same wherever it is used (same name, type and options),
so the database and the migrations are what they were with the fields written out in full. An
abstract base puts its fields before the model's own; bases are used only where that order is
seen by no one (the client's export lists a model's columns in their order).
"""

import uuid

from django.conf import settings
from django.db import models

from securebase.core.crypto import EncryptedTextField


def acting_user(**options) -> models.ForeignKey:
    """A link to the account that did something: None once that account is deleted, no reverse."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", **options
    )


class Versioned(models.Model):
    """A document edited with optimistic locking (core/versioning.py): its version, who saved last."""

    version = models.PositiveIntegerField(default=1)
    updated_by = acting_user()

    class Meta:
        abstract = True


class VersionSnapshot(models.Model):
    """One saved state of a versioned document: the version, who saved it and the JSON, encrypted.

    The model adds the link to its document, ``saved_at`` and the unique (document, version).
    """

    version = models.PositiveIntegerField()
    saved_by = acting_user()
    snapshot = EncryptedTextField()

    class Meta:
        abstract = True
        ordering = ["-version"]


class SentOnce(models.Model):
    """A reminder due at a moment, claimed before sending so that it goes at most once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=8, default="email")

    class Meta:
        abstract = True
