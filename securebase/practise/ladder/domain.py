"""Attachment ladders: built by the care team or the client, climbed by the client.

Each state change is one transaction with its audit event; free text is encrypted by the model and
never written to the audit log. Who may do what is decided by the callers through care.policy.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from securebase.audit.log import Action, record, record_list, record_read, record_retry
from securebase.care import policy
from securebase.care.models import Client
from securebase.core import idempotency
from securebase.core.errors import InputError
from securebase.core.versioning import claim_version, same_fields
from securebase.practise.journal import domain as journal_domain
from securebase.practise.ladder import rules as ladder
from securebase.practise.models import Attempt, JournalEntry, Ladder, LadderStep
from securebase.safety.flags import domain as flags
from securebase.safety.flags import domain as safety_flags

MAX_STEPS = 20


class LadderError(InputError):
    """Input that cannot be saved, with a message for the person and the field it concerns."""


# Rows per list, on the pages and per API page: ladders in use, attempts at one step.
LADDERS_LIMIT = 50
ATTEMPTS_LIMIT = 500


def check_suds(value, field: str, label: str, *, required: bool = True):
    if value in (None, "") and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise LadderError(
            _("%(label)s must be a whole number from 0 to 100.") % {"label": label}, field
        )
    return value


def prepared_ladder(data: dict) -> dict:
    title = (data.get("title") or "").strip()
    if not title:
        raise LadderError(_("Give the ladder a name."), "title")
    climb_peak = check_suds(data.get("climb_peak", 40), "climb_peak", _("The climbing level"))
    climb_attempts = data.get("climb_attempts", 2)
    if isinstance(climb_attempts, bool) or not isinstance(climb_attempts, int):
        climb_attempts = -1
    if not 1 <= climb_attempts <= 10:
        raise LadderError(
            _("The number of attempts in a row must be from 1 to 10."), "climb_attempts"
        )
    steps = []
    for n, step in enumerate(data.get("steps") or []):
        description = (step.get("description") or "").strip()
        if not description:
            raise LadderError(_("Step %(n)s needs a description.") % {"n": n + 1}, "steps")
        predicted = check_suds(
            step.get("predicted_suds"),
            "steps",
            _("The expected distress of step %(n)s") % {"n": n + 1},
        )
        steps.append({"description": description, "predicted_suds": predicted})
    if not steps:
        raise LadderError(_("Add at least one step."), "steps")
    if len(steps) > MAX_STEPS:
        raise LadderError(_("A ladder has at most %(n)s steps.") % {"n": MAX_STEPS}, "steps")
    return {
        "title": title,
        "climb_peak": climb_peak,
        "climb_attempts": climb_attempts,
        "steps": steps,
    }


def create_ladder(client, *, by, data: dict, submission_id=None, request=None):
    """A new ladder with its steps; with ``submission_id`` a retry returns the first one."""
    values = prepared_ladder(data)
    steps = values.pop("steps")

    def create() -> Ladder:
        new = Ladder.objects.create(client=client, created_by=by, **values)
        LadderStep.objects.bulk_create(
            LadderStep(ladder=new, position=n, **step) for n, step in enumerate(steps, start=1)
        )
        record(
            actor=by,
            action=Action.CREATE,
            object_type="ladder",
            object_id=new.pk,
            client=client,
            request=request,
            detail={"steps": len(steps), "climb_peak": new.climb_peak},
        )
        return new

    return idempotency.create_once(
        user=by,
        key=submission_id,
        kind="practise.ladder",
        body={"client": str(client.pk), **values, "steps": steps},
        model=Ladder,
        create=create,
    )


def steps_of(item: Ladder) -> list[LadderStep]:
    """The ladder's steps, smallest first."""
    return list(item.steps.order_by("position"))


def _same_ladder(saved: Ladder, values: dict, steps: list[dict]) -> bool:
    saved_steps = [
        {"description": step.description, "predicted_suds": step.predicted_suds}
        for step in steps_of(saved)
    ]
    return same_fields(values)(saved) and saved_steps == steps


def update_ladder(item: Ladder, *, by, data: dict, version: int, request=None) -> Ladder:
    """Save an edit made from ``version``, or refuse it (``StaleSave``) if someone saved since.

    Steps are matched by position; a step that already has attempts cannot be removed (its
    history would go with it). A retry of this person's own save (same ladder, one version on)
    answers with the saved ladder.
    """
    values = prepared_ladder(data)
    steps = values.pop("steps")
    with transaction.atomic():
        retry = claim_version(
            Ladder.objects.select_related("updated_by", "client"),
            item.pk,
            version=version,
            by=by,
            same_content=lambda saved: _same_ladder(saved, values, steps),
            **values,
        )
        if retry is not None:
            record_retry(
                actor=by, object_type="ladder", saved=retry, client=retry.client, request=request
            )
            return retry
        current = Ladder.objects.get(pk=item.pk)
        existing = list(current.steps.order_by("position"))
        for n, step in enumerate(steps, start=1):
            if n <= len(existing):
                row = existing[n - 1]
                row.description, row.predicted_suds = step["description"], step["predicted_suds"]
                row.save(update_fields=["description", "predicted_suds"])
            else:
                LadderStep.objects.create(ladder=current, position=n, **step)
        for row in existing[len(steps) :]:
            if row.attempts.exists():
                raise LadderError(
                    _("Step %(n)s already has attempts, so it cannot be removed.")
                    % {"n": row.position},
                    "steps",
                )
            row.delete()
        record(
            actor=by,
            action=Action.UPDATE,
            object_type="ladder",
            object_id=item.pk,
            client=item.client,
            request=request,
            detail={"steps": len(steps), "climb_peak": current.climb_peak},
        )
    return current


# --- access: care.policy decides; these names stay for the API router ------------------------------

may_edit = policy.plan_readers_of
get_ladder_for_user = policy.get_ladder_for
get_step_for_user = policy.get_ladder_step_for


# --- attempts -------------------------------------------------------------------------------------


def prepared_attempt(client, data: dict) -> dict:
    values = {
        "suds_before": check_suds(data.get("suds_before"), "suds_before", _("Distress before")),
        "suds_peak": check_suds(data.get("suds_peak"), "suds_peak", _("Distress at its peak")),
        "suds_after": check_suds(data.get("suds_after"), "suds_after", _("Distress after")),
        "notes": (data.get("notes") or "").strip(),
        "attempted_at": data.get("attempted_at") or timezone.now(),
        "shared": bool(data.get("shared", client.shares_by_default)),
    }
    return values


def record_attempt(step: LadderStep, *, by, data: dict, submission_id=None, request=None):
    """The client records an attempt, optionally with a feelings-journal entry (``journal``:
    {"text", "emotions"}) shared like the attempt. Returns (attempt, created).

    Risk language in the notes or the journal entry raises one flag for the attempt, in the same
    transaction; the alert (or None) is kept on ``attempt.risk_alert``."""
    client = step.ladder.client
    values = prepared_attempt(client, data)
    journal = data.get("journal") or {}
    journal_values = None
    if (journal.get("text") or "").strip() or journal.get("emotions"):
        try:
            journal_values = journal_domain.prepared(
                client,
                {**journal, "shared": values["shared"], "written_at": values["attempted_at"]},
            )
        except journal_domain.JournalError as exc:
            raise LadderError(str(exc), "journal") from exc

    def create() -> Attempt:
        attempt = Attempt.objects.create(client=client, step=step, **values)
        record(
            actor=by,
            action=Action.CREATE,
            object_type="attempt",
            object_id=attempt.pk,
            client=client,
            request=request,
            detail={"ladder": str(step.ladder_id), "step": step.position, "shared": attempt.shared},
        )
        texts = [attempt.notes]
        if journal_values is not None:
            entry = journal_domain.create_entry(
                client, by=by, values=journal_values, attempt=attempt, request=request
            )
            texts += journal_domain.own_words(entry)
        attempt.risk_alert = flags.check_text(
            client,
            texts=texts,
            source_type="attempt",
            source_id=attempt.pk,
            shared=attempt.shared,
            by=by,
            request=request,
        )
        return attempt

    # The fingerprint leaves out a default "now", which differs on every retry.
    body = {**values, "step": str(step.pk), "journal": None}
    if journal_values is not None:
        body["journal"] = {k: v for k, v in journal_values.items() if k != "written_at"}
    if data.get("attempted_at"):
        body["attempted_at"] = values["attempted_at"].isoformat()
    else:
        body.pop("attempted_at")
    return idempotency.create_once(
        user=by,
        key=submission_id,
        kind="practise.attempt",
        body=body,
        model=Attempt,
        create=create,
    )


def set_attempt_shared(attempt: Attempt, *, by, shared: bool, request=None) -> Attempt:
    """Sharing an attempt shares (or unshares) the journal entry written with it too."""
    with transaction.atomic():
        attempt.journal.update(shared=shared)
        return safety_flags.set_entry_shared(
            attempt, object_type="attempt", by=by, shared=shared, request=request
        )


# --- what the pages and the API show ----------------------------------------------------------------


def audit_read(*, by, ladder: Ladder, request=None, detail: dict | None = None) -> None:
    record(
        actor=by,
        action=Action.READ,
        object_type="ladder",
        object_id=ladder.pk,
        client=ladder.client,
        request=request,
        detail=detail,
    )


def get_ladder_for(
    user, ladder_id, *, of: Client | None = None, request=None, detail: dict | None = None
) -> Ladder:
    """A ladder of the person's own, or of a client on their care team (with ``of``, only a
    ladder of that client); 404 otherwise. Audited as read (``detail``: what for)."""
    item = policy.get_ladder_for(user, ladder_id, of=of)
    audit_read(by=user, ladder=item, request=request, detail=detail)
    return item


def rule_text(item: Ladder) -> str:
    return ladder.rule_sentence(item.climb_peak, item.climb_attempts, ngettext=ngettext)


def visible_attempts(user, client, steps) -> dict:
    """{step id: [attempts the person may see, oldest first]}."""
    by_step = {step.pk: [] for step in steps}
    queryset = policy.entries_visible_to(
        user, client, Attempt.objects.filter(step__in=list(by_step))
    ).order_by("attempted_at", "created_at")
    for attempt in queryset.prefetch_related("journal"):
        by_step[attempt.step_id].append(attempt)
    return by_step


def ladders_for(
    user, client, *, offset: int = 0, limit: int | None = None, request=None
) -> list[Ladder]:
    """The client's ladders in use, for the client or their care team (404 for anyone else), at
    most ``limit`` (``LADDERS_LIMIT`` when left out); the list is audited."""
    if not may_edit(user, client):
        raise Http404("Not found.")
    limit = LADDERS_LIMIT if limit is None else limit
    ladders = list(Ladder.objects.filter(client=client, archived=False)[offset : offset + limit])
    record_list(
        actor=user, object_type="ladders", client=client, count=len(ladders), request=request
    )
    return ladders


def attempts_for(
    user, step: LadderStep, *, offset: int = 0, limit: int | None = None, request=None
) -> list[Attempt]:
    """The attempts at a step this person may see, oldest first (a clinician: the shared ones),
    at most ``limit`` (``ATTEMPTS_LIMIT`` when left out); the list is audited."""
    client = step.ladder.client
    limit = ATTEMPTS_LIMIT if limit is None else limit
    attempts = list(
        policy.entries_visible_to(user, client, Attempt.objects.filter(step=step))
        .select_related("client")
        .order_by("attempted_at")[offset : offset + limit]
    )
    record_list(
        actor=user,
        object_type="attempts",
        client=client,
        of=step,
        count=len(attempts),
        request=request,
    )
    return attempts


def journal_ids(user, client, attempts) -> dict:
    """{attempt id: [ids of its journal entries this person may see]}, in one query."""
    found: dict = {attempt.pk: [] for attempt in attempts}
    rows = policy.entries_visible_to(
        user, client, JournalEntry.objects.filter(attempt__in=list(found))
    ).values_list("attempt_id", "pk")
    for attempt_id, entry_id in rows:
        found[attempt_id].append(entry_id)
    return found


def overview(user, item: Ladder) -> dict:
    """Steps with their summaries over the attempts this person may see, and the suggestion.

    A clinician sees the shared attempts only, so the summaries they see use those alone."""
    steps = list(item.steps.order_by("position"))
    by_step = visible_attempts(user, item.client, steps)
    rows = []
    for step in steps:
        attempts = by_step[step.pk]
        peaks = [a.suds_peak for a in attempts]
        rows.append(
            {
                "step": step,
                "attempts": attempts,
                "summary": ladder.summarise(
                    step.predicted_suds,
                    peaks,
                    climb_peak=item.climb_peak,
                    climb_attempts=item.climb_attempts,
                ),
            }
        )
    suggested = ladder.next_step(
        [[a.suds_peak for a in by_step[s.pk]] for s in steps],
        climb_peak=item.climb_peak,
        climb_attempts=item.climb_attempts,
    )
    for n, row in enumerate(rows):
        row["suggested"] = n == suggested
        row["bar_predicted"] = row["step"].predicted_suds * 2  # px in a 200-wide chart
        latest = row["summary"].latest_peak
        row["bar_latest"] = None if latest is None else latest * 2
    return {
        "ladder": item,
        "rows": rows,
        "suggested": rows[suggested]["step"] if suggested is not None else None,
        "rule": rule_text(item),
    }


def step_for(user, step_id, *, request=None) -> dict:
    """One step's row of :func:`overview` (``climbed`` per the ladder's rule, ``suggested`` and
    the SUDS summary over the attempts this person may see), audited as a read; 404 otherwise."""
    step = get_step_for_user(user, step_id)
    row = next(r for r in overview(user, step.ladder)["rows"] if r["step"].pk == step.pk)
    record_read(
        actor=user, object_type="ladder_step", obj=step, client=step.ladder.client, request=request
    )
    return row
