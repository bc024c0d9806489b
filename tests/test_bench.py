"""`securebase bench`: the generated practice at a tiny size, and the shape of the report."""

import json
import re
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command

from securebase.care import policy
from securebase.core import benchdata
from securebase.core.benchdata import Size
from securebase.core.management.commands import bench

pytest.register_assert_rewrite("tests.cli")

from tests import cli  # noqa: E402
from tests.conftest import sign_in  # noqa: E402

TINY = Size("tiny", clients=2, weeks=3)


def test_the_generator_makes_a_clinician_with_totp_who_sees_every_client(db):
    made = benchdata.build(TINY)
    assert Authenticator.objects.filter(user=made.clinician, type="totp").count() == 1
    assert sorted(c.pk for c in policy.caseload_clients(made.clinician)) == sorted(
        c.pk for c in made.clients
    )
    assert made.focus.user is not None
    assert [c.user_id is None for c in made.clients] == [False, True]


def test_the_generator_makes_every_kind_of_history_the_same_way_each_time(db):
    first = benchdata.build(TINY).counts
    second = benchdata.build(TINY).counts
    assert first == second
    for label in (
        "plan.Checkin",
        "plan.CheckinSchedule",
        "plan.TherapySession",
        "measures.Administration",
        "measures.Score",
        "plan.Goal",
        "plan.GoalRating",
        "understand.Moment",
        "practise.Pause",
        "practise.JournalEntry",
        "practise.Attempt",
        "practise.Homework",
    ):
        assert first[label] > 0, label
    assert first["plan.TherapySession"] == TINY.clients * TINY.weeks


def test_the_generated_pages_open_for_the_clinician_and_the_client(db):
    made = benchdata.build(TINY)
    clinician, client = sign_in(made.clinician), sign_in(made.focus.user)
    for _name, path, who in bench.PAGES:
        web = clinician if who == "clinician" else client
        assert web.get(path.format(client=made.focus.pk)).status_code == 200, path


def test_one_custom_size_reports_every_page_as_json(db):
    out = StringIO()
    call_command("bench", clients=1, weeks=2, runs=2, json=True, stdout=out, stderr=StringIO())
    report = json.loads(out.getvalue())
    (result,) = report["sizes"].values()
    assert result["size"] == {"name": "custom", "clients": 1, "weeks": 2}
    assert list(result["pages"]) == [name for name, _path, _who in bench.PAGES]
    for timing in result["pages"].values():
        assert timing["queries"] > 0
        assert len(timing["runs_ms"]) == 2
    assert "pages" not in report  # nothing to compare with one size
    semantic = report["semantic"]
    assert semantic["entries"] == 100
    assert 0 < semantic["median_ms"] <= semantic["p95_ms"]
    assert sorted(semantic) == [
        "entries",
        "load_seconds",
        "loaded_before",
        "median_ms",
        "model_rss_mb",
        "p95_ms",
    ]


def test_the_benchmark_entries_are_the_same_each_time():
    entries = benchdata.entries()
    assert len(entries) == 100
    assert entries == benchdata.entries()
    assert len(set(entries)) > 50


def test_the_benchmark_refuses_a_database_with_a_real_practice(practice):
    with pytest.raises(CommandError, match="scratch"):
        call_command("bench", clients=1, weeks=1, runs=1, stdout=StringIO())


def _fake(queries: int, median: float) -> dict:
    page = {
        "queries": queries,
        "queries_varied": False,
        "median_ms": median,
        "p90_ms": median,
        "error": "",
    }
    return {
        "size": {"name": "x", "clients": 1, "weeks": 1},
        "build_seconds": 0.1,
        "rows": 10,
        "counts": {},
        "pages": {name: dict(page) for name, _path, _who in bench.PAGES},
    }


def test_a_page_whose_queries_grow_is_named_and_fails_the_run(db, monkeypatch):
    def fake_bench_size(size, runs, seed):
        if size.name == "small":
            return _fake(10, 5.0)
        result = _fake(10, 10.0)
        result["pages"]["progress"]["queries"] = 14
        return result

    monkeypatch.setattr(bench, "bench_size", fake_bench_size)
    out = StringIO()
    with pytest.raises(CommandError, match="grow with the data on: progress"):
        call_command("bench", stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "caseload: constant queries; latency ×2.00 (p90 5.0 → 10.0 ms)" in text
    assert "progress: QUERIES GROW: 10 → 14; latency ×2.00 (p90 5.0 → 10.0 ms)" in text
    header = next(line for line in text.splitlines() if line.startswith("page"))
    assert [c.strip() for c in header.split("  ") if c.strip()] == [
        "page",
        "small queries",
        "large queries",
        "small median ms",
        "large median ms",
        "ratio",
    ]


def test_a_page_that_does_not_answer_200_is_named_and_fails_the_run(db, monkeypatch):
    def fake_bench_size(size, runs, seed):
        result = _fake(10, 5.0)
        if size.name == "large":
            result["pages"]["goals"].update(
                queries=None, median_ms=None, p90_ms=None, error="answered 500"
            )
        return result

    monkeypatch.setattr(bench, "bench_size", fake_bench_size)
    out = StringIO()
    with pytest.raises(CommandError, match=r"did not answer 200: goals \(answered 500\)"):
        call_command("bench", stdout=out, stderr=StringIO())
    assert "goals: FAILED: large answered 500; latency - (p90 5.0 → - ms)" in out.getvalue()


@pytest.mark.subprocess
def test_the_command_runs_on_a_scratch_database(tmp_path_factory, tmp_path):
    site = cli.clone_sqlite(cli.sqlite_template(tmp_path_factory, "migrated"), tmp_path / "site")
    done = site.run("bench", "--clients", "2", "--weeks", "2", "--runs", "1")
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Secure Base benchmark on ")
    table = lines[lines.index(next(x for x in lines if x.startswith("page"))) + 2 :]
    assert [row.split("  ")[0].strip() for row in table] == [n for n, _p, _w in bench.PAGES]
    (semantic,) = [x for x in lines if x.startswith("  risk detection (lexicon and meaning): ")]
    assert re.fullmatch(
        r"  risk detection \(lexicon and meaning\): 100 entries, median [\d.]+ ms, p95 [\d.]+ ms; "
        r"model \+\d+ MB resident, loaded in [\d.]+ s",
        semantic,
    ), semantic
