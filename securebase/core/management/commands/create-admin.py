import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction

from securebase.accounts.models import User
from securebase.audit.log import Action, record
from securebase.care.models import Membership, Practice
from securebase.core.commands import OperationalCommand


class Command(OperationalCommand):
    help = "Create the practice and its first admin (who then sets up two-factor on first sign-in)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--practice", required=True, help="The practice's name.")
        parser.add_argument("--name", default="")
        parser.add_argument(
            "--clinician",
            action="store_true",
            help="Also make this person a clinician of the practice.",
        )

    def handle(self, *args, email, practice, name, clinician, **options):
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        try:
            validate_password(password, User(email=email, name=name))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        with transaction.atomic():
            place, _ = Practice.objects.get_or_create(name=practice)
            if User.objects.filter(email__iexact=email).exists():
                raise CommandError(f"{email} already has an account.")
            user = User.objects.create_user(email, password, name=name)
            Membership.objects.create(practice=place, user=user, role=Membership.Role.ADMIN)
            if clinician:
                Membership.objects.create(practice=place, user=user, role=Membership.Role.CLINICIAN)
            record(
                actor=None,
                action=Action.SECURITY,
                object_type="membership",
                object_id=user.pk,
                practice_id=place.pk,
                detail={"event": "first_admin"},
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{email} is an admin of {place.name}. Sign in; you will be asked to set up "
                "two-factor authentication first."
            )
        )
