from django.conf import settings
from django.core.management.base import CommandError

from securebase.care import demo
from securebase.core.commands import OperationalCommand


class Command(OperationalCommand):
    help = "Create the demo practice (idempotent) and print its logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=demo.DEFAULT_PASSWORD,
            help="Password for every demo account (used when they are created).",
        )

    def handle(self, *args, password, **options):
        if not settings.LOCAL:
            # Demo accounts have a published password; they never belong in production.
            raise CommandError("demo-data is for local use only (DEBUG=1).")
        logins = demo.load(password=password)
        self.stdout.write(self.style.SUCCESS(f"{demo.PRACTICE} is ready."))
        self.stdout.write(f"Password for every demo account: {password}")
        self.stdout.write("Clinicians and the admin use two-factor authentication (TOTP).")
        self.stdout.write("Add the secret to an authenticator app, or print a current code with")
        self.stdout.write(
            "  DEBUG=1 .venv/bin/securebase demo-code EMAIL   (@demo.test accounts only)\n"
        )
        for login in logins:
            line = f"  {login.email:<20} {login.role:<12}"
            if login.totp_secret:
                line += f" TOTP secret {login.totp_secret}"
            self.stdout.write(line)
