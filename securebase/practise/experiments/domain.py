"""Behavioural experiments: a belief put to the test, designed by the client with the clinician.

The client writes the belief and how strongly it is held (0–100 %), the prediction, the plan and the
safety behaviours to drop; later what happened, the belief re-rated and what they learned. Outcomes
are reviewed in session: information, not a verdict. Each state change is one transaction with its
audit event (no clinical text in the audit log); free text is encrypted by the model.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from securebase.audit.log import Action, record, record_list, record_read, record_retry
from securebase.care import policy
from securebase.core import idempotency
from securebase.core.errors import InputError
from securebase.core.versioning import claim_version, same_fields
from securebase.practise.models import Experiment
from securebase.safety.flags import domain as flags
from securebase.safety.flags import domain as safety_flags

TEXT_FIELDS = ("belief", "prediction", "plan", "safety_behaviours", "outcome", "learned")
MAX_TEXT = 5000
EXPERIMENTS_LIMIT = 500  # rows of the experiments list, on the pages and per API page


class ExperimentError(InputError):
    """Input that cannot be saved, with a message for the person and the field it concerns."""


def _percent(value, field: str, label: str, *, required: bool):
    if value in (None, ""):
        if required:
            raise ExperimentError(
                _("%(label)s: say how strongly, from 0 to 100 %%.") % {"label": label}, field
            )
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ExperimentError(
            _("%(label)s must be a whole number from 0 to 100.") % {"label": label}, field
        )
    return value


def prepared(client, data: dict) -> dict:
    """Validated field values for an experiment of ``client`` (raises ExperimentError)."""
    values = {}
    for name in TEXT_FIELDS:
        text = (data.get(name) or "").strip()
        if len(text) > MAX_TEXT:
            raise ExperimentError(_("This text is too long."), name)
        values[name] = text
    if not values["belief"]:
        raise ExperimentError(_("Write down the belief you want to test."), "belief")
    values["belief_before"] = _percent(
        data.get("belief_before"), "belief_before", _("How strongly you hold it"), required=True
    )
    values["belief_after"] = _percent(
        data.get("belief_after"), "belief_after", _("How strongly you hold it now"), required=False
    )
    shared = data.get("shared")
    values["shared"] = bool(client.shares_by_default if shared is None else shared)
    return values


def _finished(values: dict) -> bool:
    return bool(values["outcome"] or values["learned"] or values["belief_after"] is not None)


def _check_risk(experiment: Experiment, *, by, request=None) -> Experiment:
    """Risk language in the experiment's words raises a flag (at most one per experiment); the
    alert, new or already raised, is kept on ``experiment.risk_alert``."""
    experiment.risk_alert = flags.check_text(
        experiment.client,
        texts=[getattr(experiment, name) for name in TEXT_FIELDS],
        source_type="experiment",
        source_id=experiment.pk,
        shared=experiment.shared,
        by=by,
        request=request,
    )
    return experiment


def create_experiment(
    client, *, by, data: dict, submission_id=None, request=None
) -> tuple[Experiment, bool]:
    """Save a new experiment; with ``submission_id`` a retry returns the first one."""
    values = prepared(client, data)

    def create() -> Experiment:
        experiment = Experiment.objects.create(
            client=client, done_at=timezone.now() if _finished(values) else None, **values
        )
        record(
            actor=by,
            action=Action.CREATE,
            object_type="experiment",
            object_id=experiment.pk,
            client=client,
            request=request,
            detail={"shared": experiment.shared},
        )
        return _check_risk(experiment, by=by, request=request)

    return idempotency.create_once(
        user=by,
        key=submission_id,
        kind="practise.experiment",
        body=values,
        model=Experiment,
        create=create,
    )


def update_experiment(
    experiment: Experiment, *, by, data: dict, version: int, request=None
) -> Experiment:
    """Save an edit made from ``version``; a stale one raises ``StaleSave`` with the current.

    A retry of this person's own save (same words, one version on) answers with the saved one.
    """
    values = prepared(experiment.client, data)
    with transaction.atomic():
        content = dict(values)
        if _finished(values) and experiment.done_at is None:
            values["done_at"] = timezone.now()
        retry = claim_version(
            Experiment.objects.select_related("updated_by", "client"),
            experiment.pk,
            version=version,
            by=by,
            same_content=same_fields(content),
            **values,
        )
        if retry is not None:
            record_retry(
                actor=by,
                object_type="experiment",
                saved=retry,
                client=retry.client,
                request=request,
            )
            return retry
        current = Experiment.objects.get(pk=experiment.pk)
        record(
            actor=by,
            action=Action.UPDATE,
            object_type="experiment",
            object_id=current.pk,
            client=current.client,
            request=request,
            detail={"shared": current.shared, "done": current.done_at is not None},
        )
        safety_flags.sync_shared(current.pk, current.shared)
        _check_risk(current, by=by, request=request)
    return current


def _set(experiment: Experiment, *, by, field: str, value, request=None) -> Experiment:
    with transaction.atomic():
        setattr(experiment, field, value)
        experiment.save(update_fields=[field, "updated_at"])
        if field == "shared":
            safety_flags.sync_shared(experiment.pk, value)
        record(
            actor=by,
            action=Action.UPDATE,
            object_type="experiment",
            object_id=experiment.pk,
            client=experiment.client,
            request=request,
            detail={field: bool(value)},
        )
    return experiment


def set_shared(experiment: Experiment, *, by, shared: bool, request=None) -> Experiment:
    """The client shares an experiment with the care team, or makes it private again."""
    return _set(experiment, by=by, field="shared", value=shared, request=request)


def mark_reviewed(experiment: Experiment, *, by, reviewed: bool, request=None) -> Experiment:
    """The clinician notes that the outcome was talked through in session."""
    value = timezone.now() if reviewed else None
    return _set(experiment, by=by, field="reviewed_at", value=value, request=request)


def experiments_for(
    user, client, *, offset: int = 0, limit: int = EXPERIMENTS_LIMIT, request=None
) -> list[Experiment]:
    """The experiments this person may see (the client: all; the care team: the shared ones),
    for someone the policy let see the client; the list is audited."""
    found = list(
        policy.entries_visible_to(user, client, Experiment.objects)[offset : offset + limit]
    )
    record_list(
        actor=user, object_type="experiments", client=client, count=len(found), request=request
    )
    return found


def audit_read(*, by, experiment: Experiment, request=None) -> None:
    record_read(
        actor=by,
        object_type="experiment",
        obj=experiment,
        client=experiment.client,
        request=request,
    )


def experiment_for(user, experiment_id, *, own: bool = False, request=None) -> Experiment:
    """One experiment this person may see (``own``: only the signed-in client's own, to edit
    it), audited as a read; 404 otherwise."""
    if own:
        experiment = policy.get_own_entry(user, Experiment, experiment_id)
    else:
        experiment = policy.get_entry_for_user(user, Experiment, experiment_id)
    audit_read(by=user, experiment=experiment, request=request)
    return experiment


def belief_change(experiment: Experiment) -> int | None:
    """Points the belief moved (negative: held less strongly); None until re-rated."""
    if experiment.belief_after is None:
        return None
    return experiment.belief_after - experiment.belief_before
