"""``securebase instruments``: list the instruments, import licensed wording, export Questionnaires."""

import json
from pathlib import Path

from django.core.management.base import CommandError

from securebase.core.commands import OperationalCommand
from securebase.core.files import FileRefused, load_json
from securebase.measures import definitions, fhir
from securebase.measures.models import Wording

BAD_INPUT = 2
# A Questionnaire is tens of kilobytes, its items nested a few groups deep.
IMPORT_LIMIT = 5_000_000
IMPORT_DEPTH = 64


class Command(OperationalCommand):
    help = (
        "List the built-in instruments with their licence and whether their wording is loaded; "
        "import a clinic's FHIR R4 Questionnaire as an instrument's wording; export an "
        "instrument as a FHIR R4 Questionnaire."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action")
        sub.add_parser("list", help="Keys, names, licence and wording status (the default).")
        load = sub.add_parser(
            "import",
            help="Load the wording of an instrument from a FHIR R4 Questionnaire JSON file.",
        )
        load.add_argument("file", help="Questionnaire JSON file, or - for standard input.")
        load.add_argument(
            "--key", help="The instrument, when the Questionnaire carries no code we know."
        )
        out = sub.add_parser("export", help="Write an instrument as a FHIR R4 Questionnaire.")
        out.add_argument("key")
        out.add_argument("--language", help="Use the wording imported in this language.")
        out.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args, action=None, **options):
        if action == "import":
            self.import_file(options["file"], options.get("key"))
        elif action == "export":
            self.export(options["key"], options.get("language"), options.get("output"))
        else:
            self.show_list()

    # --- list ------------------------------------------------------------------------------------

    def show_list(self):
        loaded: dict[str, list[str]] = {}
        for key, language in Wording.objects.order_by("language").values_list(
            "instrument_key", "language"
        ):
            loaded.setdefault(key, []).append(language)
        rows = [("KEY", "NAME", "LICENCE", "WORDING")]
        for key, definition in sorted(definitions.registry().items()):
            if not definition.validated:
                wording = "own wording (not a validated instrument)"
            elif key in loaded:
                wording = "loaded: " + ", ".join(loaded[key])
            else:
                wording = "not loaded"
            rows.append((key, definition.name, definition.licence.status, wording))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[3]]))
        if any(d.validated and k not in loaded for k, d in definitions.registry().items()):
            self.stdout.write(
                "\nLoad an instrument's licensed wording with: "
                "securebase instruments import QUESTIONNAIRE.json [--key KEY]"
            )

    # --- import ----------------------------------------------------------------------------------

    def import_file(self, name: str, key: str | None):
        try:
            data = load_json(name, limit=IMPORT_LIMIT, max_depth=IMPORT_DEPTH)
        except FileRefused as exc:
            raise CommandError(str(exc), returncode=BAD_INPUT) from None
        try:
            done = fhir.import_questionnaire_with_report(
                data, key=key, imported_by="securebase instruments import"
            )
        except ValueError as exc:
            raise CommandError(f"{name}: {exc}", returncode=BAD_INPUT) from None
        definition = definitions.get(done.match.key)
        wording = done.wording
        verb = "Imported" if done.created else "Replaced"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} the wording of {definition.short_name} ({definition.key}), language "
                f"{wording.language}: {len(wording.items)} items."
            )
        )
        self.stdout.write(f"Matched to {definition.key} by {done.match.reason}.")

    # --- export ----------------------------------------------------------------------------------

    def export(self, key: str, language: str | None, output: str | None):
        try:
            definition = definitions.get(key)
        except KeyError as exc:
            raise CommandError(exc.args[0], returncode=BAD_INPUT) from None
        rows = {w.language: w for w in Wording.objects.filter(instrument_key=key)}
        if not definition.validated:
            wording = None
        elif language is not None:
            wording = rows.get(language)
            if wording is None:
                have = ", ".join(sorted(rows)) or "none"
                raise CommandError(
                    f"no {definition.short_name} wording loaded in language {language!r} "
                    f"(loaded: {have})",
                    returncode=BAD_INPUT,
                )
        else:
            wording = rows.get("en") or next(iter(sorted(rows.items())), (None, None))[1]
        text = json.dumps(
            fhir.export_questionnaire(definition, wording), indent=2, ensure_ascii=False
        )
        if output is None:
            self.stdout.write(text)
            return
        try:
            Path(output).write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise CommandError(
                f"cannot write {output}: {_reason(exc)}", returncode=BAD_INPUT
            ) from None
        if not definition.validated:
            source = "Secure Base's own wording"
        elif wording is not None:
            source = f"the wording imported in {wording.language}"
        else:
            source = "placeholder item texts (no wording loaded)"
        self.stdout.write(
            f"Wrote {definition.short_name} as a FHIR Questionnaire with {source} to {output}."
        )


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or str(exc)
