"""The risk detector on our labelled set (CI's gate), and `securebase risk evaluate`.

The set (``securebase/safety/data/risk_statements.csv``) is our own wording: risk statements of
every category in English and Spanish, most of them without "die", "kill", "suicide" or "cut",
and hard negatives. CI fails when recall on the risk statements drops below 98% or precision
below 85%, in either language.
"""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from securebase.safety.detector import domain as detect
from securebase.safety.detector import evaluation, language, semantic


@pytest.fixture(scope="module")
def report():
    return evaluation.evaluate(evaluation.read(evaluation.SHIPPED))


def test_the_set_is_large_and_covers_every_category_in_both_languages(report):
    assert len(report.outcomes) >= 400
    for code in ("en", "es"):
        counts = {c: report.counts(code, c).risk for c in language.CATEGORIES}
        assert min(counts.values()) >= 14, counts
        assert report.counts(code).negatives >= 100


@pytest.mark.parametrize("code", ["en", "es"])
def test_recall_and_precision_reach_the_thresholds(report, code):
    counts = report.counts(code)
    misses = [s.text for s in report.misses() if s.language == code]
    alarms = [o.statement.text for o in report.false_alarms() if o.statement.language == code]
    assert counts.recall >= evaluation.MIN_RECALL, f"missed: {misses}"
    assert counts.precision >= evaluation.MIN_PRECISION, f"false alarms: {alarms}"


def test_statements_without_the_obvious_words_are_caught(report):
    obvious = ("die", "dead", "kill", "suicid", "cut", "morir", "muert", "matar", "suicid", "cort")
    plain = [
        o
        for o in report.outcomes
        if o.statement.risk and not any(word in o.statement.text.lower() for word in obvious)
    ]
    assert len(plain) >= 250
    caught = sum(1 for o in plain if o.flagged)
    assert caught / len(plain) >= evaluation.MIN_RECALL


def test_the_command_prints_recall_precision_and_the_misses(report, monkeypatch):
    # The shipped set's evaluation is the module's (the other tests check it); evaluating the
    # same 575 statements again would only repeat it.
    monkeypatch.setattr(evaluation, "evaluate", lambda statements: report)
    out = io.StringIO()
    call_command("risk", "evaluate", stdout=out)
    text = out.getvalue()
    assert "Risk detector on risk_statements.csv:" in text
    assert "precision" in text and "Missed (" in text and "False alarms (" in text
    assert text.rstrip().endswith("in every language")
    assert "\nPASS: recall at least 98.0% and precision at least 85.0%" in text


def test_the_command_fails_below_the_thresholds(tmp_path):
    labelled = tmp_path / "mine.csv"
    labelled.write_text(
        "statement,language,category,note\n"
        "We baked bread and watched a film together,en,ideation,\n"
        "this job is killing me,en,none,idiom\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("risk", "evaluate", str(labelled), stdout=out)
    assert raised.value.returncode == 1
    assert "[en ideation] We baked bread and watched a film together" in out.getvalue()
    assert "FAIL:" in out.getvalue()


def test_an_unusable_file_is_named_with_its_line(tmp_path, capsys):
    labelled = tmp_path / "bad.csv"
    labelled.write_text("statement,language,category\nhello,en,sadness\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as raised:
        call_command("risk", "evaluate", str(labelled), stderr=err)
    assert raised.value.code == 2
    assert err.getvalue().startswith("securebase risk: bad.csv, line 2: category 'sadness'")


# The held-out set: written by an author who never saw the detector or its data. Measured on,
# never tuned on. When it was written (2026-12-07) it scored recall 85% in each language (41 of
# 48) and precision 93% English, 82% Spanish; the floors leave one statement of slack for the
# semantic layer's rounding on another machine. The detector may only get better on it.
HELD_OUT_FLOOR = {"en": (40 / 48, 0.90), "es": (40 / 48, 0.80)}


@pytest.mark.parametrize("code", ["en", "es"])
def test_the_detector_does_not_get_worse_on_the_held_out_set(code):
    statements = evaluation.read(evaluation.HELD_OUT)
    counts = evaluation.evaluate(s for s in statements if s.language == code).counts(code)
    min_recall, min_precision = HELD_OUT_FLOOR[code]
    assert counts.risk >= 48 and counts.negatives >= 32
    assert counts.recall >= min_recall
    assert counts.precision >= min_precision


def test_when_the_meaning_layer_fails_the_lexicon_still_flags_and_nothing_is_lost(
    monkeypatch, caplog
):
    def broken(text):
        raise MemoryError("no room for the model")

    monkeypatch.setattr(semantic, "assess", broken)
    found = detect.detect("I've been saving my tablets in a drawer for when I'm ready.")
    assert found.flag
    assert found.layers() == (detect.LEXICON,)
    assert "the semantic risk layer failed" in caplog.text
