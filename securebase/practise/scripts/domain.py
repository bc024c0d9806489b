"""Guided-imagery and role-play scripts, and co-regulation exercises for couples.

Scripts are files ``scripts/<slug>.<language>.md`` written for Secure Base, in the Markdown subset
of the psychoeducation library (rendered by ``securebase.learn.library``, with the client's own
words). Each ``##`` heading starts one step, read one screen at a time on a phone.

A script read is logged as a ToolUse (imagery or roleplay) with intensity before and after.
A co-regulation session is shared by a linked couple; each partner keeps a private note (with
intensity before and after) that the other partner never sees. Audit events carry ids, codes and
flags only, never clinical text. Creating is idempotent through core.idempotency. Risk language in
a note raises a risk flag in the same transaction; the saved record carries ``risk_alert``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from securebase.audit.log import Action, record
from securebase.care import policy
from securebase.core import idempotency
from securebase.learn import library
from securebase.practise.models import CoregulationNote, CoregulationSession, ToolUse
from securebase.practise.toolkit.domain import (
    ToolkitError,
    check_risk,
    prepared_use,
    record_event,
)

SCRIPTS_DIR = Path(__file__).resolve().parent

IMAGERY = ("safe-place", "secure-base-figure", "returning-after-rupture")
ROLEPLAY = ("asking-for-reassurance", "saying-no-kindly", "repairing-after-withdrawing")
COREGULATION = ("hand-on-heart", "hug-and-check-in")

KIND_OF = {
    **dict.fromkeys(IMAGERY, ToolUse.Tool.IMAGERY),
    **dict.fromkeys(ROLEPLAY, ToolUse.Tool.ROLEPLAY),
    **dict.fromkeys(COREGULATION, ToolUse.Tool.COREGULATION),
}


class UnknownScript(LookupError):
    """No script has this slug."""


@dataclass(frozen=True)
class Step:
    heading: SafeString
    body: SafeString


@dataclass(frozen=True)
class Script:
    slug: str
    kind: str
    language: str
    title: SafeString
    lead: SafeString
    steps: tuple[Step, ...]
    minutes: int


@cache
def read_source(slug: str, language: str) -> str:
    if slug not in KIND_OF:
        raise UnknownScript(slug)
    return (SCRIPTS_DIR / f"{slug}.{language}.md").read_text(encoding="utf-8")


def render(slug: str, language: str, terms) -> Script:
    """A script in ``language`` (English when we have no such version), split into steps."""
    language = library.language_for(language)
    source = library.parse(read_source(slug, language))
    intro, sections = [], []
    for block in source.blocks:
        if block.kind == "h2":
            sections.append((block.lines[0], []))
        elif sections:
            sections[-1][1].append(block)
        else:
            intro.append(block)
    lead, _body = library.render_source(library.Source(source.title, tuple(intro)), terms)
    steps = tuple(
        Step(
            heading=library.render_inline(heading, terms),
            body=library.render_source(library.Source(heading, tuple(blocks)), terms)[1],
        )
        for heading, blocks in sections
    )
    page = library.render_text(read_source(slug, language), terms)
    return Script(
        slug=slug,
        kind=KIND_OF[slug],
        language=language,
        title=library.render_inline(source.title, terms),
        lead=lead,
        steps=steps,
        minutes=page.minutes,
    )


def render_all(slugs, language: str, terms) -> list[Script]:
    return [render(slug, language, terms) for slug in slugs]


def terms_for(client, language: str) -> dict[str, str]:
    return library.terms_for(client, library.language_for(language))


def audit_read(*, by, kind: str, object_id, client, request=None, **detail) -> None:
    """Note that this person opened the scripts, a script or a co-regulation session."""
    record(
        actor=by,
        action=Action.READ,
        object_type=kind,
        object_id=object_id,
        client=client,
        request=request,
        detail=detail,
    )


def scripts_for(user, client, *, request=None) -> dict[str, list[Script]]:
    """The client's imagery and role-play scripts (``imagery``, ``roleplay``) in their language
    and with their words, audited as the scripts opened."""
    terms = terms_for(client, client.language)
    found = {
        "imagery": render_all(IMAGERY, client.language, terms),
        "roleplay": render_all(ROLEPLAY, client.language, terms),
    }
    audit_read(by=user, kind="scripts", object_id=client.pk, client=client, request=request)
    return found


def script_for(client, slug: str, *, by=None, request=None) -> Script:
    """One imagery or role-play script in the client's language and with their words (404 for
    another slug); with ``by``, audited as read by that person."""
    if slug not in IMAGERY + ROLEPLAY:
        raise Http404
    script = render(slug, client.language, terms_for(client, client.language))
    if by is not None:
        audit_read(
            by=by, kind="script", object_id=client.pk, client=client, request=request, script=slug
        )
    return script


# --- imagery and role-play -----------------------------------------------------------------------


def log_script_use(client, *, by, slug: str, data: dict, submission_id=None, request=None):
    """Log reading an imagery or role-play script, with intensity before and after."""
    tool = KIND_OF.get(slug)
    if tool not in (ToolUse.Tool.IMAGERY, ToolUse.Tool.ROLEPLAY):
        raise UnknownScript(slug)
    values = prepared_use(client, {**data, "tool": tool, "detail": {}, "ritual": None})
    values["detail"] = {"script": slug}

    def create() -> ToolUse:
        use = ToolUse.objects.create(client=client, **values)
        record_event(
            by,
            Action.CREATE,
            "tool_use",
            use,
            client,
            request,
            tool=use.tool,
            script=slug,
            shared=use.shared,
        )
        return check_risk(use, source_type="tool_use", texts=[use.notes], by=by, request=request)

    body = {**values, "ritual": None}
    return idempotency.create_once(
        user=by,
        key=submission_id,
        kind="practise.tool_use",
        body=body,
        model=ToolUse,
        create=create,
    )


# --- co-regulation for couples -------------------------------------------------------------------


def start_session(client, *, by, exercise: str, submission_id=None, request=None):
    """Either partner of a linked couple starts a shared session of one exercise."""
    if exercise not in COREGULATION:
        raise ToolkitError(_("Choose an exercise."), "exercise")
    partner = policy.linked_partner_of(client)
    if partner is None:
        raise ToolkitError(_("Co-regulation exercises are for a linked couple."))

    def create() -> CoregulationSession:
        session = CoregulationSession.objects.create(
            client=client, partner=partner, exercise=exercise, started_by=client
        )
        for person in (client, partner):
            record_event(
                by,
                Action.CREATE,
                "coregulation_session",
                session,
                person,
                request,
                exercise=exercise,
            )
        return session

    body = {"client": str(client.pk), "partner": str(partner.pk), "exercise": exercise}
    return idempotency.create_once(
        user=by,
        key=submission_id,
        kind="practise.coregulation_session",
        body=body,
        model=CoregulationSession,
        create=create,
    )


def own_sessions(user, client, *, request=None) -> list[CoregulationSession]:
    """The partner's own co-regulation sessions (at most 50), audited as a read of the list."""
    sessions = list(policy.coregulation_sessions_visible_to(user, CoregulationSession.objects)[:50])
    audit_read(
        by=user,
        kind="coregulation_sessions",
        object_id=client.pk,
        client=client,
        request=request,
        count=len(sessions),
    )
    return sessions


def get_session_for(user, session_id, *, client, request=None) -> CoregulationSession:
    """A co-regulation session this partner may see (404 otherwise), audited as read on the
    partner's own record ``client``."""
    session = policy.get_coregulation_session_for_user(user, session_id)
    audit_read(
        by=user, kind="coregulation_session", object_id=session.pk, client=client, request=request
    )
    return session


def own_note(user, session) -> CoregulationNote | None:
    """This partner's own note on the session (never the other partner's)."""
    return policy.coregulation_notes_visible_to(user, session, CoregulationNote.objects).first()


def sessions_for_care_team(user, client, *, request=None) -> list[dict]:
    """The client's co-regulation sessions for the care team, each with only the notes this
    client shared (``{"session", "notes"}``), newest first; audited as a list."""
    sessions = list(
        policy.coregulation_sessions_visible_to(user, CoregulationSession.objects)
        .filter(Q(client=client) | Q(partner=client))
        .order_by("-started_at")[:100]
    )
    rows = [
        {
            "session": s,
            "notes": list(
                policy.coregulation_notes_visible_to(user, s, CoregulationNote.objects).filter(
                    client=client
                )
            ),
        }
        for s in sessions
    ]
    record(
        actor=user,
        action=Action.LIST,
        object_type="coregulation_sessions",
        object_id=client.pk,
        client=client,
        request=request,
        detail={"count": len(rows)},
    )
    return rows


def prepared_note(client, data: dict) -> dict:
    use = prepared_use(client, {**data, "tool": ToolUse.Tool.COREGULATION, "detail": {}})
    shared = data.get("shared")
    return {
        "text": use["notes"],
        "intensity_before": use["intensity_before"],
        "intensity_after": use["intensity_after"],
        "shared": bool(shared),  # private unless the partner chooses to share it
    }


def _use_for(note: CoregulationNote) -> None:
    """Keep one ToolUse per note (for "what helped"), without the text."""
    ToolUse.objects.update_or_create(
        client=note.client,
        tool=ToolUse.Tool.COREGULATION,
        detail={"session": str(note.session_id)},
        defaults={
            "intensity_before": note.intensity_before,
            "intensity_after": note.intensity_after,
            "shared": note.shared,
        },
    )


def _check_note(note: CoregulationNote, *, by, request=None) -> CoregulationNote:
    """Risk words in a partner's own note reach their care team (never the other partner)."""
    return check_risk(
        note, source_type="coregulation_note", texts=[note.text], by=by, request=request
    )


def save_note(session, client, *, by, data: dict, submission_id=None, request=None):
    """Add or update this partner's own private note on the session. Returns (note, created)."""
    if client.pk not in (session.client_id, session.partner_id):
        raise ToolkitError(_("This session is not one of yours."))
    values = prepared_note(client, data)
    existing = CoregulationNote.objects.filter(session=session, client=client).first()
    if existing is not None:
        with transaction.atomic():
            for name, value in values.items():
                setattr(existing, name, value)
            existing.save()
            _use_for(existing)
            record_event(
                by,
                Action.UPDATE,
                "coregulation_note",
                existing,
                client,
                request,
                session=str(session.pk),
                shared=existing.shared,
            )
            _check_note(existing, by=by, request=request)
        return existing, False

    def create() -> CoregulationNote:
        note = CoregulationNote.objects.create(session=session, client=client, **values)
        _use_for(note)
        record_event(
            by,
            Action.CREATE,
            "coregulation_note",
            note,
            client,
            request,
            session=str(session.pk),
            shared=note.shared,
        )
        return _check_note(note, by=by, request=request)

    body = {**values, "session": str(session.pk)}
    return idempotency.create_once(
        user=by,
        key=submission_id,
        kind="practise.coregulation_note",
        body=body,
        model=CoregulationNote,
        create=create,
    )
