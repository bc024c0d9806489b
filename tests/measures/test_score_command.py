"""`securebase score KEY [FILE]`: the published pairs, the JSON shape, and one clear line on
standard error (exit 2) for each kind of bad input.

The command runs in this process (through Django's command runner, with its own standard input,
output and exit status) for every case; a few cases also run it as a real `securebase` process,
which pays Django's start-up, to show the installed command behaves the same.
"""

import io
import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from unittest import mock

import pytest
from django.core.management import call_command

# tests.cli asks pytest to rewrite its asserts; that must happen before the first import.
pytest.register_assert_rewrite("tests.cli")

from tests.cli import clean_env, describe, run  # noqa: E402

SHAPE = ["instrument", "scores", "bands", "flags", "missing"]


def obj(*values):
    return {str(number): value for number, value in enumerate(values, 1)}


# name: (key, answers, published total, our band label for it)
PUBLISHED = {
    "P1": ("phq9", obj(0, 0, 1, 1, 1, 0, 0, 0, 0), 3, "None/minimal"),
    "P2": ("gad7", obj(0, 0, 1, 1, 0, 1, 0), 3, "Minimal"),
    "P3": ("phq9", obj(3, 0, 1, 2, 0, 0, 1, 0, 3), 10, "Moderate"),
    "P4 all 0": ("phq9", obj(*(0,) * 9), 0, "None/minimal"),
    "P4 all 3": ("phq9", obj(*(3,) * 9), 27, "Severe"),
    "P5": ("gad7", obj(3, 0, 1, 2, 0, 0, 1), 7, "Mild"),
    "P6 all 0": ("gad7", obj(*(0,) * 7), 0, "Minimal"),
    "P6 all 3": ("gad7", obj(*(3,) * 7), 21, "Severe"),
}

ECR_RS = {"target": "Best friend", "answers": obj(7, 7, 6, 6, 2, 1, 5, 6, 7)}

# name: (key, stdin, expected fragment of the one stderr line)
BAD = {
    "unknown key": ("nope", json.dumps(obj(0)), "unknown instrument 'nope' (known: checkin,"),
    "unknown item": ("phq9", json.dumps({"10": 0}), "item 10: not an item of PHQ-9 (items 1–9)"),
    "unknown item name": (
        "phq9",
        json.dumps({"first": 0}),
        "'first' is not an item number of PHQ-9",
    ),
    "out of range": (
        "phq9",
        json.dumps({"1": 4}),
        "item 1: 4 is out of range; expected a whole number from 0 to 3",
    ),
    "not a number": (
        "gad7",
        json.dumps({"2": "two"}),
        "item 2: 'two' is not a number; expected a whole number from 0 to 3",
    ),
    "not a whole number": ("core10", json.dumps({"3": 1.5}), "item 3: 1.5 is not allowed"),
    "invalid JSON": ("phq9", '{"1": 0,', "invalid JSON:"),
    "empty input": ("phq9", "", "invalid JSON:"),
    "not an object": ("phq9", "[0, 1, 2]", "the input must be a JSON object"),
    "target on a plain instrument": (
        "phq9",
        json.dumps({"target": "partner", "answers": obj(0)}),
        "phq9 is not scored per relationship",
    ),
    "target that is not text": (
        "ecr-rs",
        json.dumps({"target": 3, "answers": obj(4)}),
        "target must be a non-empty text",
    ),
    "stray key beside answers": (
        "ecr-rs",
        json.dumps({"target": "mother", "answers": obj(4), "note": "x"}),
        "unexpected key 'note'",
    ),
}


def cases(root):
    """Every case by name: (command arguments, standard input or None)."""
    calls = {}
    for name, (key, answers, _total, _band) in PUBLISHED.items():
        path = root / f"{name.replace(' ', '-')}.json"
        path.write_text(json.dumps(answers), encoding="utf-8")
        calls[f"file {name}"] = ((key, path), None)
        calls[f"stdin {name}"] = ((key,), json.dumps(answers))
    calls["ecr-rs stdin"] = (("ecr-rs",), json.dumps(ECR_RS))
    calls["ecr-rs dash"] = (("ecr-rs", "-"), json.dumps(ECR_RS["answers"]))
    calls["ecr-rs own target"] = (
        ("ecr-rs",),
        json.dumps({"target": "my  Großmutter", "answers": ECR_RS["answers"]}),
    )
    calls["core10 prorated"] = (("core10",), json.dumps(obj(*(2,) * 9)))
    calls["checkin"] = (("checkin",), json.dumps(obj(7, 5, 3)))
    calls["missing file"] = (("phq9", root / "absent.json"), None)
    for name, (key, text, _fragment) in BAD.items():
        calls[f"bad {name}"] = ((key,), text)
    return calls


def score_here(args, text) -> subprocess.CompletedProcess:
    """`securebase score ARGS` in this process: what it prints, and its exit status."""
    out, err = io.StringIO(), io.StringIO()
    status = 0
    with (
        mock.patch("sys.stdin", io.StringIO(text or "")),
        redirect_stdout(out),
        redirect_stderr(err),
    ):
        try:
            call_command("score", *map(str, args), stdout=out, stderr=err)
        except SystemExit as exc:
            status = exc.code
    return subprocess.CompletedProcess(
        ["score", *map(str, args)], status, out.getvalue(), err.getvalue()
    )


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    calls = cases(tmp_path_factory.mktemp("score"))
    return {name: score_here(*call) for name, call in calls.items()}


# The cases also run as real processes: a published pair from a file and from standard input, a
# target with non-ASCII text, one bad input and an unreadable file.
AS_PROCESSES = (
    "file P3",
    "stdin P4 all 3",
    "ecr-rs own target",
    "bad invalid JSON",
    "missing file",
)


@pytest.fixture(scope="module")
def processes(tmp_path_factory):
    root = tmp_path_factory.mktemp("score-processes")
    var = root / "var"
    env = clean_env(DEBUG="1", SECUREBASE_VAR_DIR=str(var))
    calls = cases(root)

    def call(name):
        args, text = calls[name]
        return run(["score", *args], env=env, check=False, input=text if text is not None else "")

    with ThreadPoolExecutor(max_workers=len(AS_PROCESSES)) as pool:
        results = dict(zip(AS_PROCESSES, pool.map(call, AS_PROCESSES), strict=True))
    results["_var"] = var
    return results, {name: score_here(*calls[name]) for name in AS_PROCESSES}


def ok_json(result):
    assert result.returncode == 0, describe(result)
    assert result.stderr == "", describe(result)
    lines = result.stdout.splitlines()
    assert len(lines) == 1, describe(result)
    return json.loads(lines[0])


@pytest.mark.parametrize("source", ["file", "stdin"])
@pytest.mark.parametrize("name", list(PUBLISHED))
def test_score_reproduces_the_published_pairs(outcomes, name, source):
    key, _answers, total, band = PUBLISHED[name]
    out = ok_json(outcomes[f"{source} {name}"])
    assert list(out) == SHAPE
    assert out == {
        "instrument": key,
        "scores": {"total": total},
        "bands": {"total": band},
        "flags": ["risk:item9"] if name in ("P3", "P4 all 3") else [],
        "missing": [],
    }


def test_score_prints_the_ecr_rs_target_beside_the_shape(outcomes):
    out = ok_json(outcomes["ecr-rs stdin"])
    assert list(out) == [*SHAPE, "target"]
    assert out == {
        "instrument": "ecr-rs",
        "scores": {"avoidance": 1.5, "anxiety": 6},
        "bands": {},
        "flags": [],
        "missing": [],
        "target": "best_friend",
    }


def test_score_takes_plain_ecr_rs_answers_without_a_target(outcomes):
    out = ok_json(outcomes["ecr-rs dash"])
    assert out["target"] is None
    assert out["scores"] == {"avoidance": 1.5, "anxiety": 6}


def test_score_keeps_a_target_the_client_named_and_prints_it_unescaped(outcomes):
    assert ok_json(outcomes["ecr-rs own target"])["target"] == "my Großmutter"
    assert "Großmutter" in outcomes["ecr-rs own target"].stdout


def test_score_prorates_core10_and_reports_the_missing_item(outcomes):
    out = ok_json(outcomes["core10 prorated"])
    assert out["scores"] == {"total": 20}
    assert out["missing"] == [10]
    assert out["flags"] == ["risk:item6"]


def test_score_prints_the_checkin(outcomes):
    out = ok_json(outcomes["checkin"])
    assert out["scores"] == {"felt_security": 7, "closeness": 5, "distress": 3}


def one_line_error(result) -> str:
    assert result.returncode == 2, describe(result)
    assert result.stdout == "", describe(result)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, describe(result)
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("securebase score: ")
    return lines[0]


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_exits_2_with_one_clear_line(outcomes, name):
    _key, _text, fragment = BAD[name]
    assert fragment in one_line_error(outcomes[f"bad {name}"])


def test_an_unreadable_file_exits_2_with_one_line(outcomes):
    assert "cannot read" in one_line_error(outcomes["missing file"])


@pytest.mark.subprocess
@pytest.mark.parametrize("name", AS_PROCESSES)
def test_the_installed_command_answers_as_in_process(processes, name):
    real, here = processes
    assert (real[name].returncode, real[name].stdout.strip(), real[name].stderr.strip()) == (
        here[name].returncode,
        here[name].stdout.strip(),
        here[name].stderr.strip(),
    ), describe(real[name])


@pytest.mark.subprocess
def test_scoring_never_creates_a_database(processes):
    real, _here = processes
    assert real["_var"].is_dir(), "the command ran in local mode"
    assert not list(real["_var"].glob("*.sqlite3*"))
