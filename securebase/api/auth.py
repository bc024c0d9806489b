"""Personal access tokens on the API, and the one write-scope rule."""

from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer

from securebase.accounts import tokens
from securebase.accounts.models import ApiToken

READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# A search sends its words in a POST body, to keep them out of URLs and logs: it only reads.
READING_POST_SUFFIX = "/search"


class TokenAuth(HttpBearer):
    """Personal access tokens as ``Authorization: Bearer sb_…``.

    The write-scope guard for every route: any request that is not a read (POST, PUT, PATCH,
    DELETE; a POST to a ``…/search`` route reads) needs a token with write access, so no write
    endpoint can forget to ask.
    """

    def authenticate(self, request, token):
        found = tokens.authenticate(token)
        if found is None:
            return None
        request.user = found.user
        request.auth_token = found
        reads = request.method in READING_METHODS or (
            request.method == "POST" and request.path.endswith(READING_POST_SUFFIX)
        )
        if not reads and found.scope != ApiToken.Scope.WRITE:
            raise HttpError(403, _("This token can only read. Create a token with write access."))
        return found
