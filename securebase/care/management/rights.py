"""What the commands for a client's rights (erase, restrict) share: who acts, and how a refusal
reads."""

from django.core.management.base import CommandError
from django.http import Http404

from securebase.core.commands import OperationalCommand
from securebase.core.errors import InputError, NotAllowed


class RightsCommand(OperationalCommand):
    """A practice admin (``--by``) acts on one client's record (its id, from the erasure page).

    Each command defines ``act(admin, client, **options)``: it calls the domain and returns the
    line to print.
    """

    def add_arguments(self, parser):
        parser.add_argument("client", help="The client's record id (from the erasure page).")
        parser.add_argument("--by", required=True, metavar="EMAIL", help="A practice admin.")

    def handle(self, *args, client, by, **options):
        admin = self.account(by)
        try:
            self.stdout.write(self.act(admin, client, **options))
        except Http404 as exc:
            raise CommandError(
                f"{by} is not an admin of this client's practice, or there is no such client."
            ) from exc
        except (InputError, NotAllowed) as exc:
            raise CommandError(str(exc)) from exc
