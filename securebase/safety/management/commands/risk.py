"""``securebase risk evaluate [FILE]``: the risk detector's recall and precision on a labelled set.

FILE is a CSV file (statement, language, category, note; see ``safety/detector/evaluation.py``); without
it, the shipped set. Prints recall per category and language, precision per language, which
layer caught what, every miss and every false alarm; exits 1 when a language falls below
``--min-recall`` or ``--min-precision`` (CI's thresholds by default), 2 when the file is unusable.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import CommandError

from securebase.core.commands import OperationalCommand
from securebase.safety.detector import domain as detect
from securebase.safety.detector import evaluation


def percent(value: float) -> str:
    return f"{value * 100:.1f}%"


class Command(OperationalCommand):
    help = "Measure the risk detector on a labelled set: recall, precision, misses."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("evaluate", help="Recall and precision on a labelled CSV file.")
        run.add_argument("file", nargs="?", help="labelled CSV (default: the shipped set)")
        run.add_argument("--min-recall", type=float, default=evaluation.MIN_RECALL)
        run.add_argument("--min-precision", type=float, default=evaluation.MIN_PRECISION)

    def handle(self, *args, action, file, min_recall, min_precision, **options):
        path = Path(file) if file else evaluation.SHIPPED
        try:
            statements = evaluation.read(path)
        except evaluation.LabelledSetError as exc:
            self.stderr.write(f"securebase risk: {exc}")
            sys.exit(2)
        report = evaluation.evaluate(statements)
        self.print_report(path, report)
        passed = report.passes(min_recall, min_precision)
        verdict = "PASS" if passed else "FAIL"
        self.stdout.write(
            f"\n{verdict}: recall at least {percent(min_recall)} and precision at least "
            f"{percent(min_precision)} in every language"
        )
        if not passed:
            raise CommandError("the detector is below the thresholds", returncode=1)

    def print_report(self, path: Path, report: evaluation.Report) -> None:
        write = self.stdout.write
        total = report.counts()
        write(
            f"Risk detector on {path.name}: {len(report.outcomes)} statements "
            f"({total.risk} risk, {total.negatives} none)\n"
        )
        write(
            f"{'language':<9}{'category':<13}{'risk':>6}{'caught':>8}{'recall':>9}{'same category':>15}"
        )
        for code in report.languages:
            for category in report.categories:
                c = report.counts(code, category)
                if c.risk:
                    agreed = percent(c.category_agreed / c.caught) if c.caught else "-"
                    write(
                        f"{code:<9}{category:<13}{c.risk:>6}{c.caught:>8}{percent(c.recall):>9}"
                        f"{agreed:>15}"
                    )
            c = report.counts(code)
            write(f"{code:<9}{'all':<13}{c.risk:>6}{c.caught:>8}{percent(c.recall):>9}")
            write(
                f"{code:<9}precision {percent(c.precision)}: {c.false_alarms} false alarm(s) in "
                f"{c.negatives} statements labelled none\n"
            )
        layers = ", ".join(
            f"{name} {total.by_layer.get(name, 0)}" for name in (detect.LEXICON, detect.SEMANTIC)
        )
        write(f"Risk statements caught per layer (one may be caught by both): {layers}")
        misses = report.misses()
        write(f"\nMissed ({len(misses)}):")
        for s in misses:
            write(f"  [{s.language} {s.category}] {s.text}")
        alarms = report.false_alarms()
        write(f"\nFalse alarms ({len(alarms)}):")
        for o in alarms:
            why = ", ".join(
                f"{r.category} ({r.layer}{f' {r.score:.2f}' if r.score is not None else ''})"
                for r in o.detection.reasons
            )
            note = f" [{o.statement.note}]" if o.statement.note else ""
            write(f"  [{o.statement.language}]{note} {o.statement.text} -> {why}")
