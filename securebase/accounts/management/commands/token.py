from django.conf import settings
from django.core.management.base import CommandError

from securebase.accounts import tokens
from securebase.accounts.models import ApiToken
from securebase.core.commands import OperationalCommand


class Command(OperationalCommand):
    help = "Create a personal access token for the JSON API (printed once, stored hashed)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Print a new token for EMAIL.")
        create.add_argument("email")
        create.add_argument("--scope", choices=ApiToken.Scope.values, default=ApiToken.Scope.READ)
        create.add_argument("--days", type=int, default=settings.API_TOKEN_DEFAULT_DAYS)
        create.add_argument("--name", default="command line")

    def handle(self, *args, action, email, scope, days, name, **options):
        user = self.account(email)
        try:
            _token, secret = tokens.create_token(user, name=name, scope=scope, days=days)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(secret)
