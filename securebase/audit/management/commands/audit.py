from pathlib import Path

from django.core.management.base import CommandError
from django.db import connection

from securebase.audit import keys
from securebase.audit.checkpoints import checkpoint
from securebase.audit.roles import RoleRefused, grant_app_role
from securebase.audit.verification import verify
from securebase.core.commands import OperationalCommand


class Command(OperationalCommand):
    help = (
        "Check the audit log against its keys and its witness (verify), pin every chain that "
        "moved (checkpoint), or print the checkpoint signing key's public half (public-key)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser(
            "verify", help="Exit 1 and name what is missing or changed if the log was altered."
        )
        check.add_argument(
            "--witness",
            type=Path,
            help="A copy of the witness file to check against (default: AUDIT_WITNESS_DIR's).",
        )
        sub.add_parser(
            "checkpoint", help="Pin, sign and witness the heads of the chains that moved."
        )
        sub.add_parser(
            "public-key", help="Print the signing key's public half (for AUDIT_VERIFY_KEYS)."
        )
        grant = sub.add_parser(
            "grant-app-role",
            help=(
                "PostgreSQL, run as the owner after each migrate: give ROLE what the app needs, "
                "but no UPDATE, DELETE or TRUNCATE on the audit tables."
            ),
        )
        grant.add_argument("role")

    def handle(self, *args, action, witness=None, role=None, **options):
        if action == "grant-app-role":
            try:
                tables = grant_app_role(connection, role)
            except RoleRefused as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                f"{role} may read and write the app's {tables} tables; on the audit tables it may "
                "only read and append"
            )
            return
        if action == "checkpoint":
            cp = checkpoint()
            self.stdout.write(f"checkpoint #{cp.seq} {cp.hash} covers {len(cp.heads)} chains")
            return
        if action == "public-key":
            self.stdout.write(keys.public_key_text(keys.configured()))
            return
        result = verify(witness)
        if not result.ok:
            self.stderr.write(f"audit log BROKEN at {result.problem}")
            raise CommandError("audit verification failed", returncode=1)
        self.stdout.write(
            self.style.SUCCESS(
                f"audit log intact: {result.events} events in {result.chains} chains, "
                f"{result.checkpoints} checkpoints, {result.witnessed} of them in the witness"
            )
        )
