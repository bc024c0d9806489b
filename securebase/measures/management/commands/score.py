"""``securebase score KEY [FILE]``: score one response set from JSON and print the result as JSON.

The input is an object mapping item numbers (strings, 1-based) to the point chosen on the response
scale as the person saw it; for instruments scored per relationship (ECR-RS) it may instead be
``{"target": "partner", "answers": {...}}``. Bad input exits 2 with one line on standard error.
No database access: scoring is pure.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from securebase.core.commands import OperationalCommand
from securebase.measures import definitions
from securebase.measures.scoring import ScoringError, score

MAX_TARGET_LENGTH = 80


class BadInput(Exception):
    """Input the command refuses, with the one line to print."""


def read_input(file: str | None, stdin) -> str:
    if file is None or file == "-":
        return stdin.read()
    try:
        return Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BadInput(f"cannot read {file}: {reason}") from None


def parse_json(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from None


def normalise_target(definition: definitions.Definition, raw) -> str | None:
    """A standard target ("Best friend" → "best_friend"), or the client's own name for one."""
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw.strip():
        raise BadInput("target must be a non-empty text, e.g. " + ", ".join(definition.targets))
    named = " ".join(raw.split())
    if len(named) > MAX_TARGET_LENGTH:
        raise BadInput(f"target is longer than {MAX_TARGET_LENGTH} characters")
    slug = named.lower().replace(" ", "_").replace("-", "_")
    return slug if slug in definition.targets else named


def split_input(definition: definitions.Definition, data) -> tuple[dict, str | None]:
    if not isinstance(data, dict):
        raise BadInput(
            'the input must be a JSON object mapping item numbers to values, e.g. {"1": 2}'
        )
    if "answers" not in data and "target" not in data:
        return data, None
    if not definition.targets:
        raise BadInput(
            f"{definition.key} is not scored per relationship: give a plain object of item "
            "numbers to values"
        )
    extra = sorted(set(data) - {"target", "answers"})
    if extra:
        raise BadInput(f'unexpected key {extra[0]!r}: give only "target" and "answers"')
    if "answers" not in data:
        raise BadInput('give the item values under "answers" when naming a target')
    return data["answers"], normalise_target(definition, data.get("target"))


class Command(OperationalCommand):
    help = (
        "Score one response set: read JSON (item number → value) from FILE or standard input and "
        "print the scores, bands, flags and missing items as JSON."
    )
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("key", help="instrument key, e.g. phq9, core10, ecr-rs")
        parser.add_argument("file", nargs="?", help="JSON file (default: standard input)")

    def handle(self, *args, key, file, **options):
        try:
            result = self.score(key, file)
        except BadInput as exc:
            self.fail(str(exc))
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def score(self, key: str, file: str | None) -> dict:
        try:
            definition = definitions.get(key)
        except KeyError as exc:
            raise BadInput(exc.args[0]) from None
        data = parse_json(read_input(file, self.stdin))
        answers, target = split_input(definition, data)
        try:
            result = score(definition, answers, target=target)
        except ScoringError as exc:
            raise BadInput(f"{definition.short_name}: {exc}") from None
        out = result.as_dict()
        if definition.targets:
            out.setdefault("target", None)
        return out

    @property
    def stdin(self):
        return sys.stdin

    def fail(self, message: str):
        # One line, no traceback: a newline inside a message would break that promise.
        self.stderr.write("securebase score: " + " ".join(message.split()))
        sys.exit(2)
