"""`securebase serve`: the app in production, under gunicorn."""

import json
import os

from django.core.management.base import CommandError
from django.core.wsgi import get_wsgi_application
from gunicorn.app.base import BaseApplication
from prometheus_client import multiprocess

from securebase.core.commands import OperationalCommand

# One JSON object per request, for a log collector. The path only (%(U)s): no query string, so
# nothing typed into a search can reach the log, and no user agent or referrer.
ACCESS_LOG_FORMAT = json.dumps(
    {
        "time": "%(t)s",
        "request_id": "%({x-request-id}i)s",
        "method": "%(m)s",
        "path": "%(U)s",
        "status": "%(s)s",
        "bytes": "%(B)s",
        "duration_ms": "%(M)s",
    }
)


def default_workers() -> int:
    """gunicorn's advice for sync workers: two per core, plus one."""
    return 2 * (os.cpu_count() or 1) + 1


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return get_wsgi_application()


def _worker_exited(server, worker) -> None:
    """A worker's metrics stay counted after it exits; its live gauges go."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)


class Command(OperationalCommand):
    help = (
        "Serve the app under gunicorn (production): several worker processes, static files by "
        "WhiteNoise, an access log of one JSON line per request. SIGHUP reloads the workers "
        "gracefully; SIGTERM stops after the requests in flight. Put Caddy in front "
        "(deploy/Caddyfile)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=os.environ.get("SECUREBASE_BIND", "127.0.0.1:8000"),
            help="Address to listen on (default 127.0.0.1:8000, or SECUREBASE_BIND).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", 0)) or default_workers(),
            help="Worker processes (default: 2 per core + 1, or WEB_CONCURRENCY).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=1,
            help="Threads per worker; more than 1 uses gunicorn's gthread workers.",
        )
        parser.add_argument("--timeout", type=int, default=30, help="Seconds per request.")
        parser.add_argument(
            "--access-log", default="-", help="Access log file ('-': standard output)."
        )
        parser.add_argument("--pid", default=None, help="Write the master's pid to this file.")

    def handle(self, *args, bind, workers, threads, timeout, access_log, pid, **options):
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        _Gunicorn(
            {
                "bind": bind,
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread" if threads > 1 else "sync",
                "timeout": timeout,
                "graceful_timeout": timeout,
                # A worker is replaced after this many requests (spread out), so a slow leak
                # never grows for long.
                "max_requests": 2000,
                "max_requests_jitter": 200,
                "accesslog": access_log,
                "access_log_format": ACCESS_LOG_FORMAT,
                "errorlog": "-",
                "pidfile": pid,
                "proc_name": "securebase",
                # Behind Caddy on the same machine: trust its X-Forwarded-Proto.
                "forwarded_allow_ips": "127.0.0.1,::1",
                # No runtime control socket: one fixed path would be shared by every app process
                # on the machine; signals (HUP, TERM, TTIN/TTOU) do the same.
                "control_socket_disable": True,
                "child_exit": _worker_exited,
            }
        ).run()
