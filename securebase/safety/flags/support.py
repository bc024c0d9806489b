"""What the client sees at once when something they entered raised a risk flag.

The page is the answer to the very POST that raised the flag (no redirect, so it is shown even on
a connection that drops the next request): the crisis lines for their country first, then their
safety plan, and what happens next: the care team has been told. When the entry was private the
client is told that the care team learns only that something raised concern, never the words
(DESIGN.md section 2, "safety"; issue 7).

An entry logged at 9–10 out of 10, or feeling numb or far away, without risk words, gets a calmer
answer instead (:func:`render_grounding_offer`): a few validating words and an offer of
grounding and of breathing without holds; no crisis lines, no alert.

The footer's "Support now" page (:func:`support_page_context`) shows the same crisis lines and
plan to a signed-in client, and general guidance with crisis lines to anyone else.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from securebase.care import policy
from securebase.care.models import Client
from securebase.safety.crisis_lines import domain as crisis_lines
from securebase.safety.crisis_lines import resources
from securebase.safety.flags import domain as flags
from securebase.safety.flags.overwhelm import Overwhelm
from securebase.safety.models import Alert
from securebase.safety.plan import domain as plans
from securebase.safety.plan.forms import sections_for_display


def raised_for(source_id) -> bool:
    """Whether the entry with this id raised a risk flag (one query; true on a replay too)."""
    if source_id is None:
        return False
    return Alert.objects.filter(source_id=source_id, kind__in=Alert.RISK_KINDS).exists()


def risk_raised(entry) -> bool:
    """Whether saving ``entry`` just now raised (or met) a risk flag.

    The domain functions set ``entry.risk_alert`` when they checked it in this request; an
    idempotent replay returns the first record without it, so the stored flags answer instead.
    """
    if hasattr(entry, "risk_alert"):
        return entry.risk_alert is not None
    return raised_for(entry.pk)


def risk_fields(client: Client, raised: bool) -> dict:
    """The ``risk`` and ``crisis_resources`` of an API answer (RiskOut in api/schemas.py)."""
    if not raised:
        return {"risk": False, "crisis_resources": None}
    return flags.crisis_payload(client)


def answer_risk_fields(client: Client, entry, overwhelm=None) -> dict:
    """What an API answer about ``entry``, saved just now, adds to the entry itself: its
    :func:`risk_fields`, and with ``overwhelm`` (the concept's reading of an entry) ``grounding``,
    whether to offer grounding (an overwhelmed entry that raised no flag)."""
    raised = risk_raised(entry)
    fields = risk_fields(client, raised)
    if overwhelm is None:
        return fields
    return {**fields, "grounding": not raised and bool(overwhelm(entry))}


def share_own_entry(request, model, entry_id, set_shared):
    """The signed-in client shares one of their own entries (``model``; 404 for anyone else's)
    with their care team, or makes it private again, as the POST's ``shared`` says, through the
    concept's ``set_shared``; they are told which. Returns the entry."""
    entry = policy.get_own_entry(request.user, model, entry_id)
    shared = request.POST.get("shared") == "1"
    set_shared(entry, by=request.user, shared=shared, request=request)
    messages.success(
        request, _("Now shared with your care team.") if shared else _("Now private to you.")
    )
    return entry


def crisis_context(request, client: Client | None) -> dict:
    """The crisis lines for this visit's country (``?country=`` remembered), in the UI language."""
    language = get_language() or "en"
    found = crisis_lines.directory_for(client.practice_id if client else None)
    country = resources.country_for(
        request, client.language if client else language, client=client, source=found
    )
    return {
        "crisis": resources.resources_for(country, language, source=found),
        "countries": resources.countries(language, source=found),
    }


def plan_context(request, client: Client) -> dict:
    """The client's safety plan sections (read, audited); nothing is created when there is none."""
    plan = plans.existing_plan_for(request.user, client, request=request, detail={"for": "support"})
    content = plans.empty_content() if plan is None else plans.content_of(plan)
    return {"sections": sections_for_display(content), "empty": plans.is_empty(content)}


def support_page_context(request, client: Client | None) -> dict:
    """Crisis lines for everyone; a signed-in client's own safety plan too."""
    # The crisis partial's country chooser stays on the support page.
    links = {"plan": reverse("support")}
    context = {"client": client, "own": client is not None, "links": links}
    context.update(crisis_context(request, client))
    if client is not None:
        context.update(plan_context(request, client))
    return context


def render_support(
    request,
    client: Client,
    *,
    private_entry: bool,
    continue_url: str | None = None,
    saved: bool = True,
    clear_draft: str = "",
):
    """The support page, answered in the same response as the POST that raised the flag (200).

    ``clear_draft`` names the form's on-device draft to forget, now that the entry is saved."""
    context = support_page_context(request, client)
    context.update(
        {
            "private_entry": private_entry,
            "continue_url": continue_url or reverse("client_home"),
            "saved": saved,
            "clear_draft": clear_draft,
        }
    )
    response = render(request, "safety/support.html", context)
    response["Cache-Control"] = "no-store"
    return response


def render_grounding_offer(
    request,
    *,
    overwhelm: Overwhelm,
    shared: bool,
    continue_url: str,
    clear_draft: str = "",
):
    """Validation and an offer of grounding, answered in the same response as the saving POST.

    For an entry that shows ``overwhelm`` and raised no risk flag (the support page wins then)."""
    context = {
        "overwhelm": overwhelm,
        "shared": shared,
        "continue_url": continue_url,
        "clear_draft": clear_draft,
        "breathing_url": reverse("toolkit_breathing") + "?holds=skip",
    }
    response = render(request, "safety/grounding_offer.html", context)
    response["Cache-Control"] = "no-store"
    return response


def answer_saved_entry(
    request,
    entry,
    *,
    continue_url: str,
    client: Client | None = None,
    overwhelm=None,
    clear_draft: str = "",
):
    """What a client's entry, saved by this POST, calls for in the same response, or None.

    The support page when it raised a risk flag (:func:`render_support`); else, with ``overwhelm``
    (the concept's reading of an entry), the grounding offer when that finds it overwhelming.
    ``client`` is the entry's own, when the view has it at hand already."""
    if risk_raised(entry):
        return render_support(
            request,
            entry.client if client is None else client,
            private_entry=not entry.shared,
            continue_url=continue_url,
            clear_draft=clear_draft,
        )
    if overwhelm is not None and (found := overwhelm(entry)):
        return render_grounding_offer(
            request,
            overwhelm=found,
            shared=entry.shared,
            continue_url=continue_url,
            clear_draft=clear_draft,
        )
    return None
