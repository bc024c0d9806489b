from django.core.management.base import CommandError

from securebase.audit.log import checkpoint, verify
from securebase.core.commands import OperationalCommand


class Command(OperationalCommand):
    help = "Check the audit log's hash chains (verify) or record every chain's head (checkpoint)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "verify", help="Exit 1 and name the first broken event if the log was altered."
        )
        sub.add_parser(
            "checkpoint", help="Record every chain's head; run it regularly (e.g. hourly)."
        )

    def handle(self, *args, action, **options):
        if action == "checkpoint":
            cp = checkpoint()
            self.stdout.write(f"checkpoint #{cp.seq} {cp.hash} covers {len(cp.heads)} chains")
            return
        result = verify()
        if not result.ok:
            self.stderr.write(f"audit log BROKEN at {result.problem}")
            raise CommandError("audit verification failed", returncode=1)
        self.stdout.write(
            self.style.SUCCESS(
                f"audit log intact: {result.events} events in {result.chains} chains, "
                f"{result.checkpoints} checkpoints"
            )
        )
