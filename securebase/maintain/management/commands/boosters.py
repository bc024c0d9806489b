"""``securebase boosters [--run]``: look for signs that a client stepping down or discharged may
need a booster session, and raise one alert per sign.

By default the check is enqueued through the Django Tasks API (a worker such as
``securebase db_worker`` picks it up); ``--run`` checks in this process instead.
"""

from securebase.core.commands import OperationalCommand
from securebase.maintain.boosters import check_boosters
from securebase.maintain.tasks import run_booster_check


class Command(OperationalCommand):
    help = "Raise booster alerts for clients in tapering or discharged (once per sign)."

    def add_arguments(self, parser):
        parser.add_argument("--run", action="store_true", help="check now, in this process")

    def handle(self, *args, run=False, **options):
        if run:
            raised = check_boosters()
            self.stdout.write(f"booster alerts raised {raised}")
        else:
            result = run_booster_check.enqueue()
            self.stdout.write(f"booster check enqueued as task {result.id}")
