"""Signals the base app sends for apps above it to act on (core imports none of them)."""

from django.dispatch import Signal

# Sent after `securebase restore` replaced the database with a backup (no arguments): the audit
# log tells its witness that the history after the backup is gone.
database_restored = Signal()
