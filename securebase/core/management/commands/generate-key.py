from cryptography.fernet import Fernet

from securebase.core.commands import OperationalCommand


class Command(OperationalCommand):
    help = "Print a new key for FIELD_ENCRYPTION_KEYS (put it first, then run rotate-keys)."

    def handle(self, *args, **options):
        self.stdout.write(Fernet.generate_key().decode())
