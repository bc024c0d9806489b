"""What the operations endpoints check: /readyz (the database answers with every migration
applied, the cache answers, the task worker keeps up) and who may read /metrics."""

from __future__ import annotations

import hmac
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from securebase.core.addresses import client_address

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


def may_read_metrics(request) -> bool:
    """A scrape from a configured address, or with the configured bearer token."""
    if client_address(request) in settings.METRICS_ALLOWED_ADDRESSES:
        return True
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(settings.METRICS_TOKEN) and hmac.compare_digest(
        sent.encode(), settings.METRICS_TOKEN.encode()
    )
