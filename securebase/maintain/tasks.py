"""Background work of maintenance: the booster check, through the Django Tasks API."""

from __future__ import annotations

from django_tasks import task

from securebase.maintain.boosters import check_boosters


@task()
def run_booster_check() -> int:
    """The task a worker runs (nightly): raise booster alerts for new signals."""
    return check_boosters()
