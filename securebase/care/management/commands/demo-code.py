from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import CommandError

from securebase.accounts.totp import current_code
from securebase.care import demo
from securebase.core.commands import OperationalCommand


class Command(OperationalCommand):
    help = (
        "Print the current two-factor code of a demo account (local DEBUG mode, @demo.test only)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not settings.LOCAL or not email.endswith("@demo.test"):
            raise CommandError("Only for demo accounts (@demo.test) in local mode (DEBUG=1).")
        if email not in {e for e, _n, _r in demo.STAFF}:
            raise CommandError(f"{email} is not a demo clinician or admin.")
        auth = Authenticator.objects.filter(user__email=email, type=Authenticator.Type.TOTP).first()
        if auth is None:
            raise CommandError("Run `securebase demo-data` first.")
        secret = decrypt(auth.data["secret"])
        self.stdout.write(current_code(secret))
