"""``securebase reminders [--run]``: plan reminders for active homework, then send the due ones.

By default sending is enqueued through the Django Tasks API (a worker such as
``securebase db_worker`` picks it up); ``--run`` sends in this process instead.
"""

from django.core.management.base import BaseCommand

from securebase.practise.homework import plan_reminders
from securebase.practise.tasks import deliver_due_reminders, send_due_reminders


class Command(BaseCommand):
    help = "Plan reminders for active homework and send (or enqueue sending of) the due ones."

    def add_arguments(self, parser):
        parser.add_argument("--run", action="store_true", help="send now, in this process")

    def handle(self, *args, run=False, **options):
        planned = plan_reminders()
        if run:
            sent = deliver_due_reminders()
            self.stdout.write(f"planned {planned}, sent {sent}")
        else:
            result = send_due_reminders.enqueue()
            self.stdout.write(f"planned {planned}, sending enqueued as task {result.id}")
