"""Learning from misses, safely: false alarms and missed risks reported by clinicians, and the
phrases and exemplars a practice adds to its risk detector in answer.

- A clinician marks a risk-words alert as a false alarm (which also acknowledges it), or reports
  risk they read in any entry that raised no alert. Either report may carry a *wording*: the
  clinician's own paraphrase of what was written, never the client's words or anything that
  identifies them. Admins read the reports without learning which client they were about.
- An admin adds a phrase to the phrase list (a risk pattern, or an everyday phrase that is not
  risk) or an exemplar to the meaning layer (risk, or not risk). Every change, adding or removing,
  is first evaluated on the shipped labelled set plus the practice's reported wordings, and
  refused when recall would drop in either language, or precision would fall below the gate CI
  holds the shipped detector to. The numbers are kept with the change.
- Reports, changes and refusals are audited; detection in the practice uses its additions at
  once (``safety/learning/additions.py``, read by ``safety/flags.check_text``).
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from securebase.audit.log import Action, record
from securebase.core.errors import InputError
from securebase.core.idempotency import parse_key
from securebase.safety.detector import domain as detect
from securebase.safety.detector import evaluation, language
from securebase.safety.flags import domain as flags
from securebase.safety.learning import additions
from securebase.safety.models import Alert, RiskAddition, RiskReport

WORDING_LIMIT = 300
NOTE_LIMIT = 1000
LANGUAGES = evaluation.LANGUAGES


class LearningError(InputError):
    """A report or a change that cannot be made, with the reason in words for the person."""


@dataclass(frozen=True)
class Scores:
    """Recall and precision per language: ``{"en": {"recall": .., "precision": ..}, ...}``."""

    by_language: dict

    @classmethod
    def of(cls, report: evaluation.Report) -> Scores:
        return cls(
            {
                code: {
                    "recall": round(report.counts(code).recall, 4),
                    "precision": round(report.counts(code).precision, 4),
                }
                for code in report.languages
            }
        )


class ChangeRefused(LearningError):
    def __init__(self, message: str, before: Scores, after: Scores):
        super().__init__(message)
        self.before = before
        self.after = after


# -- reports by clinicians ----------------------------------------------------------------------


def _clean(text: str, limit: int, what: str) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        raise LearningError(
            _("%(what)s can be at most %(limit)s characters.") % {"what": what, "limit": limit}
        )
    return text


def report_false_alarm(
    alert: Alert, *, by, note: str, wording: str = "", language_code: str = "", request=None
) -> tuple[RiskReport, bool]:
    """Mark a risk-words alert as a false alarm: one report per alert (a retry returns the first),
    and the alert, if still open, is acknowledged with the note. The caller fetched the alert
    through the policy. Answers (report, created)."""
    if alert.kind != Alert.Kind.RISK_WORDS:
        raise LearningError(_("Only an alert raised by risk words can be marked as a false alarm."))
    note = _clean(note, NOTE_LIMIT, _("The note"))
    if not note:
        raise LearningError(_("Say in a few words why this was a false alarm."))
    wording = _clean(wording, WORDING_LIMIT, _("The wording"))
    code = language_code if language_code in LANGUAGES else (alert.client.language or "en")
    with transaction.atomic():
        existing = RiskReport.objects.select_for_update().filter(alert=alert).first()
        if existing is not None:
            return existing, False
        report = _store(
            alert.client,
            by,
            request,
            {"kind": RiskReport.Kind.FALSE_ALARM, "alert": str(alert.pk), "wording": bool(wording)},
            kind=RiskReport.Kind.FALSE_ALARM,
            alert=alert,
            source_type=alert.source_type,
            language=code,
            wording=wording,
            note=note,
        )
        if alert.acknowledged_at is None:
            flags.acknowledge(
                alert, by=by, note=_("False alarm: %(note)s") % {"note": note}, request=request
            )
    return report, True


def _store(client, by, request, detail: dict, **fields) -> RiskReport:
    """Store a report and audit it (the detail names its kind, never its words); inside the
    caller's transaction."""
    report = RiskReport.objects.create(
        practice_id=client.practice_id, client=client, reported_by=by, **fields
    )
    record(
        actor=by,
        action=Action.CREATE,
        object_type="risk_report",
        object_id=report.pk,
        client=client,
        request=request,
        detail=detail,
    )
    return report


def report_missed(
    client,
    *,
    by,
    source_type: str,
    written_on,
    category: str,
    language_code: str,
    wording: str,
    note: str = "",
    request=None,
) -> RiskReport:
    """Report risk the clinician read in an entry that raised no alert. The caller checked that
    ``by`` is on the client's care team (the policy)."""
    if category not in language.CATEGORIES:
        raise LearningError(_("Choose the kind of risk it was."))
    if language_code not in LANGUAGES:
        raise LearningError(_("Choose the language it was written in."))
    wording = _clean(wording, WORDING_LIMIT, _("The wording"))
    if not wording:
        raise LearningError(_("Write how it was worded, in your own words."))
    note = _clean(note, NOTE_LIMIT, _("The note"))
    if written_on is not None and written_on > timezone.localdate():
        raise LearningError(_("The day it was written cannot be in the future."))
    with transaction.atomic():
        report = _store(
            client,
            by,
            request,
            {"kind": RiskReport.Kind.MISSED, "source": source_type, "category": category},
            kind=RiskReport.Kind.MISSED,
            source_type=source_type,
            written_on=written_on,
            category=category,
            language=language_code,
            wording=wording,
            note=note,
        )
    return report


class NotFound(LookupError):
    """No such report or addition in this practice (the page answers 404)."""


def _pk(raw) -> uuid.UUID:
    pk = parse_key(raw)
    if pk is None:
        raise NotFound
    return pk


def report_of(practice_id, report_id) -> RiskReport:
    """One of the practice's reports, for its admins; NotFound otherwise."""
    found = RiskReport.objects.select_related("alert").filter(pk=_pk(report_id)).first()
    if found is None or found.practice_id != practice_id:
        raise NotFound
    return found


def addition_of(practice_id, addition_id) -> RiskAddition:
    """One of the practice's additions, for its admins; NotFound otherwise."""
    found = RiskAddition.objects.filter(pk=_pk(addition_id), practice_id=practice_id).first()
    if found is None:
        raise NotFound
    return found


def false_alarm_of(alert: Alert) -> RiskReport | None:
    """The false-alarm report on this alert, if a clinician made one."""
    return RiskReport.objects.select_related("reported_by").filter(alert=alert).first()


def can_mark_false_alarm(alert: Alert) -> bool:
    return (
        alert.kind == Alert.Kind.RISK_WORDS and not RiskReport.objects.filter(alert=alert).exists()
    )


def suggested_kind(report: RiskReport) -> str:
    """What a report most likely calls for: a missed risk, an example of it (a paraphrase is a
    sentence, read by meaning); a false alarm, the opposite of whichever layer raised it."""
    if report.kind == RiskReport.Kind.MISSED:
        return RiskAddition.Kind.EXAMPLE
    reasons = (report.alert.detail or {}).get("reasons", []) if report.alert else []
    if any(reason.get("layer") == "lexicon" for reason in reasons):
        return RiskAddition.Kind.EVERYDAY
    return RiskAddition.Kind.NOT_RISK


@dataclass(frozen=True)
class Overview:
    reports: list[RiskReport]
    additions: list[RiskAddition]

    @property
    def open_count(self) -> int:
        return sum(1 for r in self.reports if r.status == RiskReport.Status.OPEN)


def overview(practice_id, *, by, request=None) -> Overview:
    """The practice's reports and additions, for its admins page (audited as a list)."""
    found = Overview(list(reports(practice_id)), list(additions_list(practice_id)))
    record(
        actor=by,
        action=Action.LIST,
        object_type="risk_reports",
        practice_id=practice_id,
        request=request,
        detail={"reports": len(found.reports), "additions": len(found.additions)},
    )
    return found


def reports(practice_id) -> QuerySet[RiskReport]:
    """The practice's reports, open ones first, newest first (for its admins: no client)."""
    return (
        RiskReport.objects.filter(practice_id=practice_id)
        .select_related("reported_by", "closed_by")
        .order_by("-status", "-reported_at")  # "open" sorts after "learned" and "closed"
    )


def close_report(report: RiskReport, *, by, note: str, request=None) -> RiskReport:
    """Close a report without changing the detector, with the admin's reason."""
    note = _clean(note, NOTE_LIMIT, _("The note"))
    if not note:
        raise LearningError(_("Say in a few words why no change is needed."))
    with transaction.atomic():
        updated = RiskReport.objects.filter(pk=report.pk, status=RiskReport.Status.OPEN).update(
            status=RiskReport.Status.CLOSED,
            closed_by=by,
            closed_at=timezone.now(),
            closing_note=note,
        )
        report.refresh_from_db()
        if updated:
            record(
                actor=by,
                action=Action.UPDATE,
                object_type="risk_report",
                object_id=report.pk,
                practice_id=report.practice_id,
                request=request,
                detail={"event": "closed"},
            )
    return report


# -- changes by admins --------------------------------------------------------------------------


def learned_statements(practice_id) -> list[evaluation.Statement]:
    """The practice's reported wordings as labelled statements: a missed risk's wording with its
    category, a false alarm's as not risk. Every later change must keep them as they are."""
    found = []
    for report in RiskReport.objects.filter(practice_id=practice_id):
        if not report.wording:
            continue
        category = report.category if report.kind == RiskReport.Kind.MISSED else evaluation.NONE
        found.append(evaluation.Statement(report.wording, report.language, category, "reported"))
    return found


@functools.cache
def _shipped() -> tuple[evaluation.Statement, ...]:
    return tuple(evaluation.read(evaluation.SHIPPED))


@functools.cache
def _shipped_encodings() -> dict:
    """The sentence vectors of the shipped labelled set, encoded once per process: every judged
    change reads the whole set twice, and this is shipped data, not anyone's words."""
    memo: dict = {}
    _evaluate(_shipped(), additions.of([]), memo)
    return memo


def _evaluate(statements, added: detect.Additions, memo: dict) -> evaluation.Report:
    detector = functools.partial(detect.detect, additions=added, memo=memo)
    return evaluation.evaluate(statements, detector)


def _judge(practice_id, before_rows, after_rows) -> tuple[Scores, Scores]:
    """Evaluate the detector with ``before_rows`` and with ``after_rows`` in force; raise
    ChangeRefused when the change would cost recall, or precision below the CI gate."""
    statements = [*_shipped(), *learned_statements(practice_id)]
    memo = dict(_shipped_encodings())  # the same sentences are read twice: encode them once
    try:
        after_additions = additions.of(after_rows)
        after_additions.lexicon()  # a phrase that cannot be read is refused before any work
    except ValueError as exc:
        raise LearningError(_("This phrase cannot be read: %(reason)s") % {"reason": exc}) from None
    before = Scores.of(_evaluate(statements, additions.of(before_rows), memo))
    after = Scores.of(_evaluate(statements, after_additions, memo))
    for code, now in after.by_language.items():
        was = before.by_language.get(code, now)
        if now["recall"] < was["recall"]:
            raise ChangeRefused(
                _(
                    "Refused: recall in %(language)s would drop from %(before)s to %(after)s. "
                    "Nothing was changed."
                )
                % {"language": code, "before": _pct(was["recall"]), "after": _pct(now["recall"])},
                before,
                after,
            )
        if now["precision"] < evaluation.MIN_PRECISION and now["precision"] < was["precision"]:
            raise ChangeRefused(
                _(
                    "Refused: precision in %(language)s would fall to %(after)s, under "
                    "%(gate)s: too many ordinary statements would raise alerts. Nothing was "
                    "changed."
                )
                % {
                    "language": code,
                    "after": _pct(now["precision"]),
                    "gate": _pct(evaluation.MIN_PRECISION),
                },
                before,
                after,
            )
    return before, after


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def _in_force(practice_id) -> list[RiskAddition]:
    return list(
        RiskAddition.objects.select_for_update()
        .filter(practice_id=practice_id, removed_at__isnull=True)
        .order_by("added_at", "pk")
    )


def add(
    practice_id,
    *,
    by,
    kind: str,
    language_code: str,
    category: str,
    text: str,
    report: RiskReport | None = None,
    request=None,
) -> RiskAddition:
    """Add a phrase or an exemplar to the practice's detector once the evaluation allows it;
    the report it answers, if any, is marked learned. Refusals are audited too."""
    if kind not in RiskAddition.Kind.values:
        raise LearningError(_("Choose what to add."))
    if language_code not in LANGUAGES:
        raise LearningError(_("Choose the language."))
    risk = kind in RiskAddition.RISK_KINDS
    if risk and category not in language.CATEGORIES:
        raise LearningError(_("Choose the kind of risk it names."))
    text = _clean(text, WORDING_LIMIT, _("The text"))
    if len(text.split()) < 2:
        raise LearningError(_("Write at least two words: one word alone matches too much."))
    with transaction.atomic():
        rows = _in_force(practice_id)
        candidate = RiskAddition(
            practice_id=practice_id,
            kind=kind,
            language=language_code,
            category=category if risk else "",
            text=text,
            report=report,
            added_by=by,
        )
        try:
            _before, after = _judge(practice_id, rows, [*rows, candidate])
        except ChangeRefused as exc:
            refused = exc
        else:
            refused = None
            _save_addition(candidate, after, report, by, request)
    if refused is not None:
        _audit_refusal(practice_id, by, request, "add", kind, refused)
        raise refused
    return candidate


def _save_addition(candidate: RiskAddition, after: Scores, report, by, request) -> None:
    candidate.evaluation = after.by_language
    candidate.save()
    if report is not None:
        RiskReport.objects.filter(pk=report.pk).update(
            status=RiskReport.Status.LEARNED, closed_by=by, closed_at=timezone.now()
        )
    record(
        actor=by,
        action=Action.CREATE,
        object_type="risk_addition",
        object_id=candidate.pk,
        practice_id=candidate.practice_id,
        request=request,
        detail={
            "kind": candidate.kind,
            "language": candidate.language,
            "category": candidate.category,
            "report": str(report.pk) if report else "",
            "evaluation": after.by_language,
        },
    )


def remove(addition: RiskAddition, *, by, request=None) -> RiskAddition:
    """Take an addition out of force, once the evaluation allows it (removing a risk phrase may
    cost recall)."""
    with transaction.atomic():
        rows = _in_force(addition.practice_id)
        if all(r.pk != addition.pk for r in rows):
            return addition  # already removed: a retry
        try:
            _before, after = _judge(
                addition.practice_id, rows, [r for r in rows if r.pk != addition.pk]
            )
        except ChangeRefused as exc:
            refused = exc
        else:
            refused = None
            RiskAddition.objects.filter(pk=addition.pk).update(
                removed_at=timezone.now(), removed_by=by
            )
            addition.refresh_from_db()
            record(
                actor=by,
                action=Action.DELETE,
                object_type="risk_addition",
                object_id=addition.pk,
                practice_id=addition.practice_id,
                request=request,
                detail={"kind": addition.kind, "evaluation": after.by_language},
            )
    if refused is not None:
        _audit_refusal(addition.practice_id, by, request, "remove", addition.kind, refused)
        raise refused
    return addition


def _audit_refusal(practice_id, by, request, change: str, kind: str, refused: ChangeRefused):
    record(
        actor=by,
        action=Action.SECURITY,
        object_type="risk_addition",
        practice_id=practice_id,
        request=request,
        detail={
            "event": f"{change} refused",
            "kind": kind,
            "before": refused.before.by_language,
            "after": refused.after.by_language,
        },
    )


def additions_list(practice_id) -> QuerySet[RiskAddition]:
    """The practice's additions, those in force first, for its admins."""
    return (
        RiskAddition.objects.filter(practice_id=practice_id)
        .select_related("added_by", "removed_by", "report")
        .order_by("removed_at", "-added_at")
    )
