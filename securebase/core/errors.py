"""The domain's shared outcomes, which every edge reports the same way.

Domain code raises these without knowing who called it: a web view shows an :class:`InputError`
next to its field, the API answers 422 naming the field (``securebase/api/api.py``). Not found and
stale saves have their own classes (``Http404`` and :class:`securebase.core.versioning.StaleSave`).
"""

from __future__ import annotations


class InputError(ValueError):
    """Input that cannot be saved, with a message for the person and the field it concerns.

    ``field`` is the name of the form field or API payload key, or empty when the message is about
    the whole submission.
    """

    # The API names the field of this error in its 422 answer; a subclass whose API answers have
    # always been the message alone may say False so that its callers keep getting what they parse.
    api_names_field = True

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotAllowed(PermissionError):
    """The person may see the record but not do this to it (the API answers 403, pages 404)."""


class RecordRestricted(NotAllowed):
    """The client's record is restricted ("keep but don't process"): nothing new is saved."""
