from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from securebase.accounts import tokens
from securebase.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    """Personal access tokens as ``Authorization: Bearer sb_…``."""

    def authenticate(self, request, token):
        found = tokens.authenticate(token)
        if found is None:
            return None
        request.user = found.user
        request.auth_token = found
        return found


def require_write(request) -> None:
    token = getattr(request, "auth_token", None)
    if token is None or token.scope != ApiToken.Scope.WRITE:
        raise HttpError(403, _("This token can only read. Create a token with write access."))
