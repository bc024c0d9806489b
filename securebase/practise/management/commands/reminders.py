"""``securebase reminders [--run]``: plan reminders for homework, send the due ones and the
reminders of scheduled check-ins, and retry the care team's emails of risk flags not sent yet.

By default sending is enqueued through the Django Tasks API (a worker such as
``securebase db_worker`` picks it up); ``--run`` sends in this process instead.
"""

from securebase.core.commands import OperationalCommand
from securebase.plan.tasks import deliver_due_checkin_reminders, send_due_checkin_reminders
from securebase.practise.homework.domain import plan_reminders
from securebase.practise.tasks import deliver_due_reminders, send_due_reminders
from securebase.safety.flags.domain import retry_unsent_alerts
from securebase.safety.tasks import send_unsent_alert_emails


class Command(OperationalCommand):
    help = "Plan reminders for active homework and send (or enqueue sending of) the due ones."

    def add_arguments(self, parser):
        parser.add_argument("--run", action="store_true", help="send now, in this process")

    def handle(self, *args, run=False, **options):
        planned = plan_reminders()
        if run:
            sent = deliver_due_reminders()
            checkins = deliver_due_checkin_reminders()
            alerts = retry_unsent_alerts()
            self.stdout.write(
                f"planned {planned}, sent {sent}, check-in reminders sent {checkins}, "
                f"unsent alert emails sent {alerts}"
            )
        else:
            result = send_due_reminders.enqueue()
            checkins = send_due_checkin_reminders.enqueue()
            alerts = send_unsent_alert_emails.enqueue()
            self.stdout.write(
                f"planned {planned}, sending enqueued as task {result.id}, "
                f"check-in reminders as task {checkins.id}, unsent alert emails as task {alerts.id}"
            )
