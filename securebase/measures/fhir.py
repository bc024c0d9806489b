"""FHIR import and export of measures: Questionnaire in and out, completed administrations out.

Every resource is built and checked with the FHIR R4B models of ``fhir.resources`` 8. For the
elements used here (Questionnaire, QuestionnaireResponse, Observation, Bundle) R4B is identical to
R4, so the JSON written is R4-compatible (fhirVersion 4.0.1 semantics) and R4 Questionnaires import.

The item wording of a validated instrument is licensed text written by others. It reaches the
database only through :func:`import_questionnaire` (a clinic's own Questionnaire file) and leaves it
only through :func:`export_questionnaire` when a :class:`~securebase.measures.models.Wording` is
passed in. Without one, items carry our own neutral placeholders ("Item 3"); importing those back
is refused, so a template can never pass for the real wording.

Answers are the point chosen on the scale as the person saw it, as ``valueInteger``, in
``answerOption`` and in ``QuestionnaireResponse`` alike.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from pydantic import ValidationError

from securebase.audit.log import Action, record
from securebase.measures import definitions, domain
from securebase.measures import targets as target_names
from securebase.measures.definitions import Definition
from securebase.measures.models import Administration, Wording

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
DEFAULT_BASE = "https://securebase.example/fhir"
# UUIDv5 namespace for stable resource ids: exporting the same administration twice gives the
# same ids, so a receiving system can recognise a repeat.
ID_NAMESPACE = uuid.UUID("6f1c3c3e-5a0b-4f36-9d61-2d1f0c6b9a41")


def fhir_base() -> str:
    """Base of our canonical URLs. A fixed name, not SITE_URL: a Questionnaire's canonical URL
    identifies the instrument definition and must not change when the server moves."""
    return (getattr(settings, "FHIR_CANONICAL_BASE", "") or DEFAULT_BASE).rstrip("/")


def canonical_url(key: str) -> str:
    return f"{fhir_base()}/Questionnaire/{key}"


def score_system() -> str:
    return f"{fhir_base()}/CodeSystem/score"


def target_extension_url() -> str:
    """Extension on a QuestionnaireResponse or Observation naming the relationship target."""
    return f"{fhir_base()}/StructureDefinition/relationship-target"


def placeholder(number: int) -> str:
    """Our neutral stand-in for an item's text while the licensed wording is not loaded."""
    return f"Item {number}"


# --- Questionnaire export -------------------------------------------------------------------------


def _fhir_name(definition: Definition) -> str:
    """A computable name (FHIR invariant que-0: starts with a capital, letters/digits/_ only)."""
    name = re.sub(r"[^A-Za-z0-9_]", "", definition.short_name) or definition.key
    return name if name[:1].isupper() else "Q" + name


def _texts(definition: Definition, wording) -> dict[int, str]:
    if not definition.validated:
        return {item.number: item.label or placeholder(item.number) for item in definition.items}
    stored = {int(n): text for n, text in wording.items.items()} if wording is not None else {}
    return {
        item.number: stored.get(item.number) or placeholder(item.number)
        for item in definition.items
    }


def export_questionnaire(definition: Definition, wording=None) -> dict:
    """The instrument as a FHIR R4 Questionnaire: one choice item per scored item.

    ``wording`` (a Wording row) supplies the imported item texts, title and language; without it
    the items read "Item 1", "Item 2", … For per-relationship instruments (ECR-RS) the items appear
    once: which relationship an answer is about belongs to the response, not the form.
    """
    description = definition.citation
    if definition.targets:
        description += (
            " The items are answered once per relationship target ("
            + ", ".join(definition.targets)
            + " or one the person names); each QuestionnaireResponse carries its target in the "
            f"extension {target_extension_url()}."
        )
    if not definition.validated:
        description += " Not a validated instrument: a brief check-in written by Secure Base."
    texts = _texts(definition, wording)
    items = []
    for item in definition.items:
        scale = definition.scale_of(item.number)
        entry = {
            "linkId": str(item.number),
            "text": texts[item.number],
            "type": "choice",
            "answerOption": [{"valueInteger": v} for v in range(scale.min, scale.max + 1)],
        }
        if item.code:
            entry["code"] = [{"system": LOINC, "code": item.code}]
        items.append(entry)
    data = {
        "resourceType": "Questionnaire",
        "id": definition.key,
        "language": wording.language if wording is not None else "en",
        "url": canonical_url(definition.key),
        "version": definition.version,
        "name": _fhir_name(definition),
        "title": (wording.title if wording is not None and wording.title else definition.name),
        "status": "active",
        "subjectType": ["Patient"],
        "description": description,
        "copyright": definition.licence.statement,
        "item": items,
    }
    if definition.codes.get("loinc_panel"):
        data["code"] = [{"system": LOINC, "code": definition.codes["loinc_panel"]}]
    return _validated(Questionnaire, data)


def _validated(model, data: dict) -> dict:
    """Build the fhir.resources model (raising on anything invalid) and return its JSON form."""
    return model.model_validate(data).model_dump(mode="json", exclude_none=True)


# --- Questionnaire import -------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedItem:
    link_id: str
    text: str
    type: str
    codes: tuple[tuple[str, str], ...]  # (system or "", code)
    read_only: bool = False


@dataclass(frozen=True)
class ParsedQuestionnaire:
    """What we use of an imported Questionnaire. ``items``: every question in document order,
    nested groups flattened, display items and groups left out."""

    data: dict
    url: str
    title: str
    language: str
    codes: tuple[tuple[str, str], ...]
    items: tuple[ParsedItem, ...]


@dataclass(frozen=True)
class Match:
    key: str
    reason: str  # for the person importing: why this instrument


def _codes(codings) -> tuple[tuple[str, str], ...]:
    return tuple((c.system or "", c.code) for c in codings or () if c.code)


def _loinc(codes) -> list[str]:
    return [code for system, code in codes if system in ("", LOINC)]


def _where(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "Questionnaire"


def _language(tag: str | None) -> str:
    """The app's language code for a BCP-47 tag: "en-GB" → "en" when only "en" is offered."""
    tag = (tag or "en").strip().replace("_", "-").lower() or "en"
    offered = {code.lower() for code, _name in settings.LANGUAGES}
    if tag not in offered and tag.split("-")[0] in offered:
        tag = tag.split("-")[0]
    if len(tag) > 8:
        raise ValueError(f"language {tag!r} is too long (at most 8 characters)")
    return tag


def parse_questionnaire(data) -> ParsedQuestionnaire:
    """Validate ``data`` as a FHIR R4 Questionnaire; ValueError with one clear line if it is not."""
    if not isinstance(data, dict):
        raise ValueError("not a FHIR resource: expected a JSON object")
    kind = data.get("resourceType")
    if kind != "Questionnaire":
        got = f"a {kind}" if isinstance(kind, str) and kind else "no resourceType"
        raise ValueError(f"not a FHIR Questionnaire: found {got}")
    try:
        resource = Questionnaire.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise ValueError(
            f"not a valid FHIR R4 Questionnaire: {_where(first['loc'])}: {first['msg']}{more}"
        ) from None

    items: list[ParsedItem] = []

    def walk(nodes) -> None:
        for node in nodes or ():
            if node.type not in ("group", "display"):
                items.append(
                    ParsedItem(
                        link_id=node.linkId,
                        text=(node.text or "").strip(),
                        type=node.type,
                        codes=_codes(node.code),
                        read_only=bool(node.readOnly),
                    )
                )
            walk(node.item)

    walk(resource.item)
    return ParsedQuestionnaire(
        data=data,
        url=resource.url or "",
        title=(resource.title or resource.name or "").strip(),
        language=_language(resource.language),
        codes=_codes(resource.code),
        items=tuple(items),
    )


def answerable(parsed: ParsedQuestionnaire, definition: Definition) -> list[ParsedItem]:
    """The questions a person answers: not read-only, not a score (coded as one of our subscales).

    When the instrument's items all have LOINC codes and the Questionnaire codes every one of
    them, questions coded otherwise are left out: they are not part of the score. (LOINC's own
    PHQ-9 form adds item 69722-7, "how difficult have these problems made it…", which the PHQ-9
    total does not count; Kroenke et al. 2001.)
    """
    score_codes = {s.code for s in definition.subscales if s.code}
    asked = [
        item
        for item in parsed.items
        if not item.read_only and not (set(_loinc(item.codes)) & score_codes)
    ]
    item_codes = {item.code for item in definition.items}
    coded = {code for item in asked for code in _loinc(item.codes)}
    if None not in item_codes and item_codes <= coded:
        return [item for item in asked if set(_loinc(item.codes)) & item_codes]
    return asked


def _by_codes(parsed: ParsedQuestionnaire) -> Match | None:
    registry = definitions.registry()
    for code in _loinc(parsed.codes):
        for definition in registry.values():
            if definition.codes.get("loinc_panel") == code:
                return Match(definition.key, f"LOINC panel code {code} ({definition.short_name})")
    found = {code for item in parsed.items for code in _loinc(item.codes)}
    for definition in registry.values():
        wanted = {item.code for item in definition.items}
        if None not in wanted and wanted <= found:
            return Match(definition.key, f"the LOINC codes of all {len(wanted)} items")
    return None


def _by_url(parsed: ParsedQuestionnaire) -> Match | None:
    for key in definitions.registry():
        if parsed.url == canonical_url(key):
            return Match(key, f"its canonical URL {parsed.url}")
    return None


def explain_match(parsed: ParsedQuestionnaire, explicit_key: str | None = None) -> Match:
    """Which built-in instrument this Questionnaire is, and why; ValueError when unclear or wrong.

    By LOINC panel code, else by the items' LOINC codes, else by our own canonical URL (a file
    exported here), else by ``explicit_key``. A code that contradicts ``explicit_key`` is refused.
    Then the number of answerable items must equal the instrument's.
    """
    registry = definitions.registry()
    if explicit_key is not None and explicit_key not in registry:
        raise ValueError(
            f"unknown instrument key {explicit_key!r} (known: {', '.join(sorted(registry))})"
        )
    found = _by_codes(parsed) or _by_url(parsed)
    if found is not None and explicit_key is not None and found.key != explicit_key:
        raise ValueError(
            f"--key {explicit_key} contradicts the Questionnaire: matched {found.key} by {found.reason}"
        )
    if found is None and explicit_key is not None:
        found = Match(
            explicit_key,
            f"the key given ({explicit_key}); the Questionnaire carries no code we know",
        )
    if found is None:
        codes = ", ".join(code for _s, code in parsed.codes) or "none"
        raise ValueError(
            f"cannot tell which instrument this Questionnaire is (codes: {codes}); "
            f"name it with --key (known: {', '.join(sorted(registry))})"
        )
    definition = registry[found.key]
    count = len(answerable(parsed, definition))
    if count != definition.item_count:
        raise ValueError(
            f"the Questionnaire has {count} answerable items but {definition.short_name} "
            f"({definition.key}) has {definition.item_count}; remove any unscored questions "
            "and import again"
        )
    return found


def match_key(parsed: ParsedQuestionnaire, explicit_key: str | None = None) -> str:
    return explain_match(parsed, explicit_key).key


def item_wording(parsed: ParsedQuestionnaire, definition: Definition) -> dict[int, str]:
    """{item number: text}: by the items' LOINC codes where the definition has them all, else by
    the digits ending each linkId when they are exactly 1..n, else by position."""
    items = answerable(parsed, definition)
    n = definition.item_count
    if len(items) != n:
        raise ValueError(f"expected {n} answerable items, found {len(items)}")
    numbered: dict[int, ParsedItem] | None = None
    codes = {item.code: item.number for item in definition.items}
    if None not in codes:
        by_code = {codes[c]: item for item in items for c in _loinc(item.codes) if c in codes}
        if sorted(by_code) == list(range(1, n + 1)):
            numbered = by_code
    if numbered is None:
        digits = [re.search(r"(\d+)$", item.link_id) for item in items]
        numbers = [int(m.group(1)) if m else None for m in digits]
        if sorted(x for x in numbers if x is not None) == list(range(1, n + 1)):
            numbered = dict(zip(numbers, items, strict=True))
    if numbered is None:
        numbered = {position: item for position, item in enumerate(items, start=1)}
    texts = {}
    for number in range(1, n + 1):
        item = numbered[number]
        if not item.text:
            raise ValueError(f"item {number} (linkId {item.link_id!r}) has no text")
        if item.text == placeholder(number):
            raise ValueError(
                f"item {number} reads {item.text!r}, Secure Base's placeholder, not the "
                "instrument's wording; fill in the licensed wording and import again"
            )
        texts[number] = item.text
    return texts


@dataclass(frozen=True)
class Imported:
    wording: object  # Wording
    match: Match
    created: bool


def import_questionnaire_with_report(
    data, *, key: str | None = None, imported_by: str = ""
) -> Imported:
    """Parse, match and store the wording; say what matched and whether it replaced earlier wording."""
    parsed = parse_questionnaire(data)
    match = explain_match(parsed, key)
    definition = definitions.get(match.key)
    if not definition.validated:
        raise ValueError(
            f"{definition.key} uses Secure Base's own wording; there is nothing to import for it"
        )
    texts = item_wording(parsed, definition)
    with transaction.atomic():
        wording, created = Wording.objects.update_or_create(
            instrument_key=definition.key,
            language=parsed.language,
            defaults={
                "title": (parsed.title or definition.name)[:200],
                "questionnaire": data,
                "items": {str(n): text for n, text in texts.items()},
                "imported_by": imported_by[:254],
            },
        )
        # Never the wording itself in the audit log: who loaded what, matched how.
        record(
            actor=None,
            action=Action.CREATE if created else Action.UPDATE,
            object_type="wording",
            object_id=definition.key,
            detail={
                "event": "wording imported",
                "instrument": definition.key,
                "language": parsed.language,
                "items": len(texts),
                "matched_by": match.reason,
                "imported_by": imported_by[:254],
            },
        )
    return Imported(wording, match, created)


def import_questionnaire(data, *, key: str | None = None, imported_by: str = ""):
    """Load a clinic's Questionnaire as the wording of a built-in instrument; returns the Wording."""
    return import_questionnaire_with_report(data, key=key, imported_by=imported_by).wording


# --- completed administrations --------------------------------------------------------------------


def _id(*parts) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(str(p) for p in parts)))


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def export_administration(administration, *, by=None, request=None) -> dict:
    """A completed administration as a FHIR R4 Bundle (type collection).

    One QuestionnaireResponse per relationship target (one in all for instruments without targets),
    each answering the Questionnaire's items by linkId; for per-relationship instruments (ECR-RS)
    the target is in the extension ``…/StructureDefinition/relationship-target`` (valueString), so
    every response still conforms to the 9-item Questionnaire. Then one Observation per subscale
    score that was scored, derived from its response and carrying the same target extension. The
    subject is ``Patient/<client id>``: no name, no email. The export is recorded in the audit log.
    """
    if administration.status != Administration.Status.COMPLETED:
        raise ValueError("only a completed administration can be exported")
    definition = definitions.get(administration.instrument_key)
    subject = {"reference": f"Patient/{administration.client_id}"}
    when = administration.completed_at.isoformat()
    questionnaire = canonical_url(definition.key)
    if administration.instrument_version:
        questionnaire += f"|{administration.instrument_version}"
    answers = domain.answers_of(administration)
    scores = list(administration.scores.all())
    # A relationship the client named is exported in their words, as before it was kept by key;
    # the ids are made from the same words, so they do not change.
    names = target_names.labels_for(administration.client_id, answers)

    def named(target: str) -> str:
        return target_names.public_name(target, names)

    def target_extension(target: str) -> list[dict]:
        return [{"url": target_extension_url(), "valueString": named(target)}] if target else []

    entries = []
    response_url = {}
    for target, given in answers.items():
        rid = _id(administration.pk, "response", named(target))
        response_url[target] = f"urn:uuid:{rid}"
        response = {
            "resourceType": "QuestionnaireResponse",
            "id": rid,
            "questionnaire": questionnaire,
            "status": "completed",
            "subject": subject,
            "authored": when,
            "item": [
                {"linkId": str(n), "answer": [{"valueInteger": int(given[str(n)])}]}
                for n in range(1, definition.item_count + 1)
                if given.get(str(n)) is not None
            ],
        }
        if target:
            response["extension"] = target_extension(target)
        entries.append(
            {
                "fullUrl": response_url[target],
                "resource": _validated(QuestionnaireResponse, response),
            }
        )
    order = {sub.key: i for i, sub in enumerate(definition.subscales)}
    targets = list(answers)
    scores.sort(
        key=lambda s: (
            targets.index(s.target) if s.target in targets else len(targets),
            order.get(s.subscale, len(order)),
        )
    )
    for score in scores:
        if score.value is None:
            continue  # too many items missing to score: nothing to report
        sub = definition.subscale(score.subscale)
        if sub.code:
            coding = {"system": LOINC, "code": sub.code}
        else:
            coding = {"system": score_system(), "code": f"{definition.key}.{sub.key}"}
        oid = _id(administration.pk, "score", named(score.target), score.subscale)
        observation = {
            "resourceType": "Observation",
            "id": oid,
            "status": "final",
            "category": [
                {
                    "coding": [
                        {"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}
                    ]
                }
            ],
            "code": {"coding": [coding], "text": f"{definition.short_name} {sub.name}"},
            "subject": subject,
            "effectiveDateTime": when,
            "valueQuantity": {
                "value": _number(score.value),
                "unit": "{score}",
                "system": UCUM,
                "code": "{score}",
            },
        }
        if score.band:
            observation["interpretation"] = [{"text": score.band}]
        if score.target in response_url:
            observation["derivedFrom"] = [{"reference": response_url[score.target]}]
        if score.target:
            observation["extension"] = target_extension(score.target)
        entries.append(
            {"fullUrl": f"urn:uuid:{oid}", "resource": _validated(Observation, observation)}
        )
    bundle = _validated(
        Bundle,
        {
            "resourceType": "Bundle",
            "id": _id(administration.pk, "bundle"),
            "type": "collection",
            "entry": entries,
        },
    )
    with transaction.atomic():
        record(
            actor=by,
            action=Action.EXPORT,
            object_type="administration",
            object_id=administration.pk,
            client=administration.client,
            request=request,
            detail={"instrument": definition.key, "format": "fhir-r4"},
        )
    return bundle
