"""`securebase bench`: query counts and latency of the main pages as a practice grows, and the
cost of reading risk language (both layers of the detector).

It builds a small and a large generated practice (securebase.core.benchdata), reads each page as
the clinician (or as the client, for the client's own pages) once to warm up and then ``--runs``
times, counting queries and timing each request. A page whose query count differs between the
sizes fails the run (exit code 1); latency is reported, never asserted (DESIGN.md section 7).

Before that it times risk detection (securebase.safety.detector.domain: the lexicon and the semantic
layer, as every saved entry is read) on ``--entries`` generated journal entries, after loading
the semantic layer's model, and reports the resident memory the model added (VmRSS before and
after loading).

It writes made-up people into the database, so it refuses one that holds a real practice:
`make bench` runs it on a scratch SQLite database (or on BENCH_DATABASE_URL).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from dataclasses import asdict, dataclass

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext, override_settings

from securebase.care.models import Practice
from securebase.core import benchdata
from securebase.core.benchdata import LARGE, SMALL, Size
from securebase.core.commands import OperationalCommand
from securebase.safety.detector import domain as detect
from securebase.safety.detector import semantic

BACKEND = "allauth.account.auth_backends.AuthenticationBackend"

# (name, path, who reads it): "clinician" or "client" (the focus client, on their own pages).
PAGES = (
    ("caseload", "/caseload/", "clinician"),
    ("session brief", "/clients/{client}/brief/", "clinician"),
    ("progress", "/clients/{client}/progress/", "clinician"),
    ("goals", "/clients/{client}/goals/", "clinician"),
    ("check-ins", "/clients/{client}/check-ins/", "clinician"),
    ("client page", "/clients/{client}/", "clinician"),
    ("client home", "/home/", "client"),
    ("client progress", "/home/progress/", "client"),
)


@dataclass
class Timing:
    path: str
    queries: int | None  # None (and the times too) when the page did not answer 200
    queries_varied: bool  # the timed runs did not all make the same number of queries
    median_ms: float | None
    p90_ms: float | None
    runs_ms: list[float]
    error: str = ""  # "answered 500", "answered 302 (to /accounts/login/)"


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.9 * len(ordered)) - 1))]


def sign_in(user, *, mfa: bool) -> WebClient:
    """A test client signed in as ``user``, with the session state of a full (MFA) sign-in."""
    web = WebClient(raise_request_exception=False)
    web.force_login(user, backend=BACKEND)
    if mfa:
        session = web.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "mfa", "type": "totp", "at": 0}]
        session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
        session.save()
    return web


def measure(web: WebClient, path: str, runs: int) -> Timing:
    """One warm-up request, then ``runs`` timed ones; any answer but a 200 is an error."""
    secure = bool(settings.SECURE_SSL_REDIRECT)
    times, counts = [], []
    for n in range(runs + 1):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = web.get(path, secure=secure)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:  # the page fails the run; the others still run
            where = response.get("Location", "")
            error = f"answered {response.status_code}" + (f" (to {where})" if where else "")
            return Timing(path, None, False, None, None, [], error=error)
        if n:  # the first request warms up (caches, this person's audit chain)
            times.append(elapsed)
            counts.append(len(queries))
    return Timing(
        path=path,
        queries=max(counts),
        queries_varied=len(set(counts)) > 1,
        median_ms=round(statistics.median(times), 2),
        p90_ms=round(_p90(times), 2),
        runs_ms=[round(t, 2) for t in times],
    )


def _rss_mb() -> float | None:
    """This process's resident memory (VmRSS), in MB; None where /proc is not there."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def bench_semantic(count: int, seed: int) -> dict:
    """Load the semantic risk layer (memory and time), then time risk detection (both layers)
    on ``count`` entries."""
    loaded_before = semantic.loaded()
    before = _rss_mb()
    started = time.perf_counter()
    semantic.warm()
    load_seconds = time.perf_counter() - started
    after = _rss_mb()
    times = []
    for entry in benchdata.entries(count, seed=seed):
        started = time.perf_counter()
        detect.detect(entry)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "entries": count,
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(_p95(times), 2),
        "load_seconds": round(load_seconds, 2),
        "model_rss_mb": round(after - before, 1) if before is not None and after else None,
        "loaded_before": loaded_before,  # then the memory and load time are not the model's
    }


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]


def bench_size(size: Size, runs: int, seed: int) -> dict:
    made = benchdata.build(size, seed=seed)
    clinician = sign_in(made.clinician, mfa=True)
    client = sign_in(made.focus.user, mfa=False)
    pages = {}
    for name, path, who in PAGES:
        web = clinician if who == "clinician" else client
        pages[name] = measure(web, path.format(client=made.focus.pk), runs)
    return {
        "size": asdict(size),
        "build_seconds": round(made.seconds, 1),
        "rows": sum(made.counts.values()),
        "counts": made.counts,
        "pages": {name: asdict(timing) for name, timing in pages.items()},
    }


def machine() -> dict:
    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if vendor == "sqlite" else "SHOW server_version")
        version = cursor.fetchone()[0]
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "database": f"{vendor} {version}",
    }


class Command(OperationalCommand):
    help = (
        "Build a small and a large generated practice in this (scratch) database and report each "
        "page's query count and latency; exit 1 if a page's query count grows with the data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, help="one custom size: this many clients")
        parser.add_argument("--weeks", type=int, help="one custom size: this many weeks of data")
        parser.add_argument("--runs", type=int, default=7, help="timed requests per page (7)")
        parser.add_argument("--seed", type=int, default=benchdata.SEED)
        parser.add_argument(
            "--entries", type=int, default=100, help="entries read by the semantic risk layer (100)"
        )
        parser.add_argument("--json", action="store_true", help="print JSON instead of tables")

    def handle(self, *args, **options):
        clients, weeks, runs, seed = (options[k] for k in ("clients", "weeks", "runs", "seed"))
        as_json = options["json"]
        if runs < 1:
            raise CommandError("--runs must be at least 1")
        if options["entries"] < 1:
            raise CommandError("--entries must be at least 1")
        if Practice.objects.exclude(name__startswith=benchdata.PRACTICE_PREFIX).exists():
            raise CommandError(
                "This database holds a practice: the benchmark writes made-up people into the "
                "database, so run it on a scratch one (`make bench` makes one)."
            )
        custom = clients is not None or weeks is not None
        if custom:
            size = Size("custom", clients or LARGE.clients, weeks or LARGE.weeks)
            if size.clients < 1 or size.weeks < 1:
                raise CommandError("--clients and --weeks must be at least 1")
            sizes = [size]
        else:
            sizes = [SMALL, LARGE]

        # First, before anything else in this process has loaded the model.
        if not as_json:
            self.stderr.write("loading the semantic risk layer …")
        semantic_timing = bench_semantic(options["entries"], seed)
        # The test client's requests name the host "testserver".
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            results = {}
            for size in sizes:
                if not as_json:
                    self.stderr.write(
                        f"building {size.name}: {size.clients} clients × {size.weeks} weeks …"
                    )
                results[size.name] = bench_size(size, runs, seed)
        report = {"machine": machine(), "runs": runs, "sizes": results, "semantic": semantic_timing}
        failed = sorted(
            {
                f"{name} ({timing['error']})"
                for result in results.values()
                for name, timing in result["pages"].items()
                if timing["error"]
            }
        )
        growing = []
        if not custom:
            report["pages"] = self.compare(results["small"], results["large"])
            growing = [
                p["page"] for p in report["pages"] if not p["constant_queries"] and not p["error"]
            ]
        report["ok"] = not growing and not failed
        if as_json:
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False, default=str))
        else:
            self.write_report(report, custom)
        problems = []
        if failed:
            problems.append(f"pages that did not answer 200: {', '.join(failed)}")
        if growing:
            problems.append(f"query counts grow with the data on: {', '.join(growing)}")
        if problems:
            raise CommandError("; ".join(problems))

    @staticmethod
    def compare(small: dict, large: dict) -> list[dict]:
        rows = []
        for name, _path, _who in PAGES:
            a, b = small["pages"][name], large["pages"][name]
            rows.append(
                {
                    "page": name,
                    "small_queries": a["queries"],
                    "large_queries": b["queries"],
                    "constant_queries": a["queries"] == b["queries"]
                    and not a["queries_varied"]
                    and not b["queries_varied"],
                    "small_median_ms": a["median_ms"],
                    "large_median_ms": b["median_ms"],
                    "small_p90_ms": a["p90_ms"],
                    "large_p90_ms": b["p90_ms"],
                    "latency_ratio": round(b["median_ms"] / a["median_ms"], 2)
                    if a["median_ms"] and b["median_ms"] is not None
                    else None,
                    "error": "; ".join(
                        f"{size} {t['error']}"
                        for size, t in (("small", a), ("large", b))
                        if t["error"]
                    ),
                }
            )
        return rows

    def write_report(self, report: dict, custom: bool) -> None:
        out = self.stdout.write
        m = report["machine"]
        out(
            f"Secure Base benchmark on {m['platform']} ({m['processor']}, {m['cpus']} CPUs), "
            f"Python {m['python']}, {m['database']}"
        )
        for result in report["sizes"].values():
            s = result["size"]
            out(
                f"  {s['name']}: {s['clients']} clients × {s['weeks']} weeks, "
                f"{result['rows']:,} rows built in {result['build_seconds']} s"
            )
        out(f"  each page: 1 warm-up request, then {report['runs']} timed")
        sem = report["semantic"]
        memory = "-" if sem["model_rss_mb"] is None else f"{sem['model_rss_mb']:.0f}"
        out(
            f"  risk detection (lexicon and meaning): {sem['entries']} entries, median "
            f"{_ms(sem['median_ms'])} "
            f"ms, p95 {_ms(sem['p95_ms'])} ms; model +{memory} MB resident, loaded in "
            f"{sem['load_seconds']} s"
            + (" (already loaded)" if sem["loaded_before"] else "")
            + "\n"
        )
        if custom:
            (result,) = report["sizes"].values()
            table = [("page", "queries", "median ms", "p90 ms")]
            table += [
                (name, _n(t["queries"]) + ("*" if t["queries_varied"] else ""),
                 _ms(t["median_ms"]), _ms(t["p90_ms"]))
                for name, t in result["pages"].items()
            ]  # fmt: skip
            out(_table(table))
            if any(t["queries_varied"] for t in result["pages"].values()):
                out("* the query count differed between runs (the largest is shown)")
            for name, t in result["pages"].items():
                if t["error"]:
                    out(f"{name}: FAILED: {t['error']}")
            return
        table = [("page", "small queries", "large queries", "small median ms",
                  "large median ms", "ratio")]  # fmt: skip
        for row in report["pages"]:
            table.append(
                (
                    row["page"],
                    _n(row["small_queries"]),
                    _n(row["large_queries"]),
                    _ms(row["small_median_ms"]),
                    _ms(row["large_median_ms"]),
                    f"{row['latency_ratio']:.2f}" if row["latency_ratio"] is not None else "-",
                )
            )
        out(_table(table))
        out("")
        for row in report["pages"]:
            if row["error"]:
                verdict = f"FAILED: {row['error']}"
            elif row["constant_queries"]:
                verdict = "constant queries"
            elif row["small_queries"] == row["large_queries"]:
                verdict = f"QUERIES VARY between runs (up to {row['large_queries']})"
            else:
                verdict = f"QUERIES GROW: {row['small_queries']} → {row['large_queries']}"
            ratio = f"×{row['latency_ratio']:.2f}" if row["latency_ratio"] is not None else "-"
            out(
                f"{row['page']}: {verdict}; latency {ratio} "
                f"(p90 {_ms(row['small_p90_ms'])} → {_ms(row['large_p90_ms'])} ms)"
            )


def _n(value) -> str:
    return "-" if value is None else str(value)


def _ms(value) -> str:
    return "-" if value is None else f"{value:.1f}"


def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
