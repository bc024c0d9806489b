"""Plans a client and their care team write together, kept in versions: one way to store them.

The safety plan (``safety/plan/domain.py``) and the maintenance plan (``maintain/maintenance.py``)
are each one record per client that the client and the clinicians on their care team edit. Both
start empty on first use with a first snapshot, are audited when read, keep every saved state as a
version row, and refuse a save made from an old version (:class:`~securebase.core.versioning.StaleSave`).
Each concept keeps its own content rules and public functions; :class:`VersionedPlan` does the
storing they share.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from securebase.audit.log import Action, record
from securebase.care import policy
from securebase.care.models import Client
from securebase.core.versioning import claim_version


@dataclass(frozen=True)
class VersionedPlan:
    """One kind of shared plan: its model (with ``client``, ``version``, ``updated_by``), the model
    of its saved versions (``plan``, ``version``, ``saved_by``, ``snapshot``), its audit name, the
    fields an empty plan starts with, and the snapshot kept of a new plan."""

    model: type
    version_model: type
    object_type: str
    empty_fields: Callable[[], dict]
    first_snapshot: Callable[[object], str]

    def get_or_create(self, *, client: Client, by, request=None):
        """The client's plan, started empty (version 1, with its first snapshot) on first use."""
        found = self.model.objects.select_related("updated_by").filter(client=client).first()
        if found is None:
            try:
                with transaction.atomic():
                    created = self.model.objects.create(
                        client=client, updated_by=by, **self.empty_fields()
                    )
                    self._keep_version(created, by=by, snapshot=self.first_snapshot(created))
                    self._record(Action.CREATE, by=by, plan=created, request=request)
            except IntegrityError:
                pass  # the other person opened it at the same moment; theirs is the plan
            found = self.model.objects.select_related("updated_by").get(client=client)
        found.client = client  # the caller's copy, already checked by the policy
        return found

    def to_save(self, user, client_id=None, *, request=None):
        """The plan of this client, or of the signed-in client without ``client_id``, started empty
        on first use; 404 for anyone but the client and their care team. Not audited as read: the
        save that follows is audited."""
        if client_id is None:
            client = policy.get_own_record_for(user)
        else:
            client = policy.get_client_for_plan_reader(user, client_id)
        return self.get_or_create(client=client, by=user, request=request)

    def get_for(self, user, client_id=None, *, request=None, detail: dict | None = None):
        """The plan as :meth:`to_save` finds it, audited as read (``detail``: what for)."""
        plan = self.to_save(user, client_id, request=request)
        self.audit_read(by=user, plan=plan, request=request, detail=detail)
        return plan

    def audit_read(self, *, by, plan, request=None, detail: dict | None = None) -> None:
        """Note that this person read the plan (``detail``: what for)."""
        self._record(Action.READ, by=by, plan=plan, request=request, detail=detail)

    def versions_of(self, plan):
        """Who saved which version and when, newest first (snapshots not decrypted)."""
        return (
            self.version_model.objects.filter(plan=plan)
            .select_related("saved_by")
            .defer("snapshot")
            .order_by("-version")
        )

    def save(
        self,
        *,
        by,
        plan,
        version: int,
        fields: dict,
        snapshot: str,
        same_content: Callable,
        filled: list[str],
        request=None,
    ):
        """Save ``fields`` as edited from ``version`` and keep ``snapshot``, or refuse with
        StaleSave; a retry of this person's own save (``same_content``) answers with the saved plan.

        The conditional UPDATE both checks and claims the next version, so of two people saving
        from the same version exactly one succeeds. The audit event names the sections
        ``filled``, never their text.
        """
        plans = self.model.objects.select_related("updated_by", "client")
        with transaction.atomic():
            retry = claim_version(
                plans, plan.pk, version=version, by=by, same_content=same_content, **fields
            )
            if retry is not None:
                self.audit_read(by=by, plan=retry, request=request, detail={"retry": True})
                return retry
            current = plans.get(pk=plan.pk)
            self._keep_version(current, by=by, snapshot=snapshot)
            self._record(
                Action.UPDATE, by=by, plan=current, request=request, detail={"filled": filled}
            )
        return current

    def _keep_version(self, plan, *, by, snapshot: str) -> None:
        self.version_model.objects.create(
            plan=plan, version=plan.version, saved_by=by, snapshot=snapshot
        )

    def _record(self, action, *, by, plan, request=None, detail: dict | None = None) -> None:
        record(
            actor=by,
            action=action,
            object_type=self.object_type,
            object_id=plan.pk,
            client=plan.client,
            request=request,
            detail={"version": plan.version, **(detail or {})},
        )
