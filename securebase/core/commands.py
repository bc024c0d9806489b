"""The base of every `securebase` command of our own."""

from django.core.management.base import BaseCommand


class OperationalCommand(BaseCommand):
    """A command run by hand or by a timer: backup, reminders, audit verify, score...

    Django's system checks import every URL and API schema, which is most of a second and a half
    of each start-up. They check the configuration, which these commands do not change: `migrate`,
    `check --deploy` and the server run them before the app serves anyone.
    """

    requires_system_checks = []
