"""The reading pages: the client's library, one page, and the care team's "send a page".

Thin: access through ``securebase.care.policy``, changes through ``securebase.learn.domain``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from securebase.care import policy
from securebase.core.saving import save_new
from securebase.learn import domain, library
from securebase.learn.forms import SendPageForm
from securebase.learn.models import SentPage

REUSED = gettext_lazy(
    "This form was already sent with a different page or note. Reload the page to send another."
)


def _slug_or_404(slug: str) -> str:
    if slug not in library.SLUGS:
        raise Http404("No such page.")
    return slug


def _preview_language(request) -> str:
    """A clinician previews in their own language unless they ask for another (?lang=es)."""
    return library.language_for(request.GET.get("lang") or translation.get_language())


def _is_clinician(user) -> bool:
    return policy.can_create_clients(user)  # a clinician with MFA, in an active practice


def _sent_by_page(sent: list[SentPage]) -> list[dict]:
    """One row per page, newest sending first; unread while any sending of it is unread."""
    rows: dict[str, dict] = {}
    for item in sent:  # newest first
        row = rows.setdefault(item.slug, {"latest": item, "unread": False, "notes": []})
        row["unread"] = row["unread"] or item.read_at is None
        if item.note:
            row["notes"].append(item)
    return list(rows.values())


# --- the client (and clinicians browsing the library) ----------------------------------------


@login_required
@require_GET
def library_index(request):
    """The client's reading: pages from their clinician first, then the rest of the library."""
    client = policy.client_record_of(request.user)
    if client is None:
        if not _is_clinician(request.user):
            raise Http404
        language = _preview_language(request)
        pages = library.render_all(language, library.terms_for(None, language))
        context = {"preview": True, "language": language, "others": list(pages.values())}
        return render(request, "learn/library.html", context)

    language = library.language_for(client.language)
    pages = library.render_all(language, library.terms_for(client, language))
    sent = domain.sent_to_me(client, by=request.user, request=request)
    rows = _sent_by_page(sent)
    for row in rows:
        row["page"] = pages[row["latest"].slug]
    sent_slugs = {row["latest"].slug for row in rows}
    context = {
        "client": client,
        "language": language,
        "sent": rows,
        "others": [page for slug, page in pages.items() if slug not in sent_slugs],
    }
    return render(request, "learn/library.html", context)


@login_required
@require_GET
def page(request, slug):
    """One page in the client's language with their own words; opening it marks it read."""
    slug = _slug_or_404(slug)
    client = policy.client_record_of(request.user)
    if client is None:
        if not _is_clinician(request.user):
            raise Http404
        language = _preview_language(request)
        context = {
            "page": library.render(slug, language, library.terms_for(None, language)),
            "preview": True,
        }
        return render(request, "learn/page.html", context)

    language = library.language_for(client.language)
    sent = domain.open_page(by=request.user, client=client, slug=slug, request=request)
    context = {
        "client": client,
        "page": library.render(slug, language, library.terms_for(client, language)),
        "notes": [item for item in sent if item.note],
    }
    return render(request, "learn/page.html", context)


# --- the care team ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def client_reading(request, client_id):
    """Send a library page to a client, and see which pages they have opened."""
    client = policy.get_client_for_care_team(request.user, client_id)
    own_language = library.language_for(translation.get_language())
    pages = library.render_all(own_language, library.terms_for(None, own_language))
    form = SendPageForm(request.POST or None, pages=pages)
    if request.method == "POST" and form.is_valid():
        sent = save_new(
            request,
            form,
            domain.send_page,
            client=client,
            slug=form.cleaned_data["page"],
            note=form.cleaned_data["note"],
            reused=REUSED,
        )
        if sent is not None:
            messages.success(
                request,
                _("Page sent. %(name)s will find it under Reading.")
                % {"name": client.display_name},
            )
            return redirect("client_learn", client_id=client.pk)
    sent = domain.sent_for_care_team(client, by=request.user, request=request)
    context = {
        "client": client,
        "form": form,
        "pages": pages,
        "sent": [{"item": item, "page": pages[item.slug]} for item in sent if item.slug in pages],
    }
    return render(request, "learn/client_reading.html", context)


@login_required
@require_GET
def client_page_preview(request, client_id, slug):
    """A page exactly as this client sees it: their language, their words, their pacing."""
    client = policy.get_client_for_care_team(request.user, client_id)
    slug = _slug_or_404(slug)
    language = library.language_for(client.language)
    domain.audit_preview(client, by=request.user, slug=slug, request=request)
    context = {
        "client": client,
        "page": library.render(slug, language, library.terms_for(client, language)),
        "preview_for": client,
    }
    return render(request, "learn/page.html", context)
