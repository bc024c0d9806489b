"""Background work of the risk flags, through the Django Tasks API (django-tasks).

A flag's email goes out as soon as the flag is stored; when no email could be sent (the mail
server was down or timed out) the alert stays "not emailed yet" and this task, run by the worker
from ``securebase reminders``, sends it again.
"""

from __future__ import annotations

from django_tasks import task

from securebase.safety.flags.domain import retry_unsent_alerts


@task()
def send_unsent_alert_emails() -> int:
    """The task a worker runs: email the care team about open alerts not emailed yet."""
    return retry_unsent_alerts()
