"""Safety flags, raised through the domain (stored once per entry and kind, audited)."""

import uuid

from securebase.safety.flags import domain as flags
from securebase.safety.models import Alert


def raise_flag(client, kind=Alert.Kind.RISK_CHECKIN, source_type="checkin", **extra):
    """Raise a flag for a new source entry (``source_id`` a fresh UUID unless given) and answer
    the alert."""
    extra["source_id"] = extra.get("source_id") or uuid.uuid4()
    alert, _created = flags.raise_flag(client, kind=kind, source_type=source_type, **extra)
    return alert
