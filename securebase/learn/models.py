"""Pages of the psychoeducation library that a clinician sent to a client (DESIGN.md section 2).

The pages themselves are files (``securebase.learn.library``); only the sending is stored here.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from securebase.care.models import Client
from securebase.core.crypto import EncryptedTextField
from securebase.core.modeling import acting_user


class SentPage(models.Model):
    """A clinician sent a library page to a client; ``read_at`` is set when the client opens it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="sent_pages")
    slug = models.CharField(_("page"), max_length=60)
    sent_by = acting_user()
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    read_at = models.DateTimeField(_("opened"), null=True, blank=True)
    note = EncryptedTextField(_("a note for the client"), blank=True)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["client", "slug"], name="sent_page_client_slug")]

    def __str__(self) -> str:
        return f"{self.slug} sent to {self.client_id}"
