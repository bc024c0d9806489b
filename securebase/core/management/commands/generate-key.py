from cryptography.fernet import Fernet

from securebase.core.commands import OperationalCommand
from securebase.core.env import generate_raw_key


class Command(OperationalCommand):
    help = (
        "Print a new key: for FIELD_ENCRYPTION_KEYS (put it first, then run rotate-keys), or with "
        "--audit for AUDIT_KEYS or AUDIT_SIGNING_KEY."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--audit",
            action="store_true",
            help="A key for AUDIT_KEYS or AUDIT_SIGNING_KEY (32 random bytes, urlsafe base64).",
        )

    def handle(self, *args, audit, **options):
        self.stdout.write(generate_raw_key() if audit else Fernet.generate_key().decode())
