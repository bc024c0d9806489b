"""The base of every `securebase` command of our own."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class OperationalCommand(BaseCommand):
    """A command run by hand or by a timer: backup, reminders, audit verify, score...

    Django's system checks import every URL and API schema, which is most of a second and a half
    of each start-up. They check the configuration, which these commands do not change: `migrate`,
    `check --deploy` and the server run them before the app serves anyone.
    """

    requires_system_checks = []

    def account(self, email: str):
        """The active account with this address (as typed, any case), or a one-line error."""
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"No active account for {email}.")
        return user
