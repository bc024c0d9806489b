"""What /readyz checks: the database answers with every migration applied, the cache answers, and
the task worker keeps up."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

PROBE = "securebase:readyz"


def check() -> dict:
    """``status`` "ok" or "unavailable", and the state of each part."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return {"status": "unavailable", "database": "unreachable"}
    if pending:
        return {"status": "unavailable", "database": "ok", "pending_migrations": len(pending)}
    parts = {"database": "ok", "cache": cache_state(), "worker": worker_state()}
    ready = parts["cache"] == "ok" and parts["worker"] == "ok"
    return {"status": "ok" if ready else "unavailable", **parts}


def cache_state() -> str:
    try:
        cache.set(PROBE, 1, timeout=10)
        return "ok" if cache.get(PROBE) == 1 else "unreachable"
    except Exception:  # noqa: BLE001 - any failure of the cache's client means the same
        return "unreachable"


def worker_state() -> str:
    """ "late" when a queued task has waited WORKER_LATE_MINUTES for a worker (none is running);
    "ok" otherwise, also when nothing was queued yet."""
    waited = timezone.now() - timedelta(minutes=settings.WORKER_LATE_MINUTES)
    # ready(): queued and due now (its own "no run_after" sentinel included); waiting since when?
    late = (
        DBTaskResult.objects.ready()
        .filter(enqueued_at__lt=waited)
        .exclude(run_after__gte=waited, run_after__lt=get_date_max())
        .exists()
    )
    return "late" if late else "ok"
