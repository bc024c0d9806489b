"""Feelings-journal pages: the client writes and searches; the care team reads shared entries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from securebase.care import policy
from securebase.care.choice import domain as choice
from securebase.core.saving import render_form, save_new
from securebase.practise.journal import domain
from securebase.practise.ladder.forms import JournalForm, JournalSearchForm
from securebase.practise.models import Experiment, JournalEntry
from securebase.practise.reflections import domain as reflections
from securebase.safety.flags import support
from securebase.understand.vocabulary import EMOTIONS

REUSED = gettext_lazy(
    "This form was already sent with different answers. Your first entry was kept; reload the page "
    "to write another."
)


def _decorate(entries, user, *, own: bool = False):
    found = reflections.reflections_for(user, "journal", entries)  # one query for all entries
    unseen = []
    for entry in entries:
        entry.reflections = found.get(entry.pk, [])
        entry.has_new_reflection = own and any(r.seen_at is None for r in entry.reflections)
        if entry.has_new_reflection:
            unseen.append(entry)
        entry.emotions = [
            {"name": str(EMOTIONS.get(e["name"], e["name"])), "intensity": e["intensity"]}
            for e in domain.emotions_of(entry)
        ]
    if unseen:
        reflections.mark_seen(user, "journal", unseen)
    return entries


@login_required
@require_http_methods(["GET", "POST"])
def my_journal(request):
    """The client's journal; a search is sent by POST, so its words never enter a URL (browser
    history, server logs) and the box keeps them."""
    client = policy.get_own_record_for(request.user)
    form = JournalSearchForm(request.POST or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    entries = domain.entries_for(request.user, client, query=query, request=request)
    entries = _decorate(entries, request.user, own=True)
    return render(
        request,
        "practise/journal/my_journal.html",
        {"client": client, "entries": entries, "form": form, "query": query},
    )


@login_required
@require_http_methods(["GET", "POST"])
def journal_new(request):
    client = policy.get_own_record_for(request.user)
    experiment_id = request.POST.get("experiment") or request.GET.get("experiment")
    experiment = (
        policy.get_own_entry(request.user, Experiment, experiment_id) if experiment_id else None
    )
    initial = {"shared": client.shares_by_default}
    prompt = choice.prompt_text(request.GET.get("prompt"))
    if prompt:  # a self-supervision prompt from the home page starts the entry
        initial["text"] = prompt + "\n\n"
    form = JournalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        entry = save_new(
            request,
            form,
            domain.write_entry,
            client,
            data=form.cleaned_data,
            experiment=experiment,
            reused=REUSED,
        )
        if entry is not None:
            if answer := support.answer_saved_entry(
                request, entry, client=client, continue_url=f"/home/journal/#entry-{entry.pk}"
            ):
                return answer
            messages.success(request, _("Journal entry saved."))
            return redirect("my_journal")
    return render_form(
        request, "practise/journal/journal_form.html", {"form": form, "experiment": experiment}
    )


@login_required
@require_POST
def journal_share(request, entry_id):
    entry = support.share_own_entry(request, JournalEntry, entry_id, domain.set_shared)
    return redirect(f"/home/journal/#entry-{entry.pk}")


@login_required
def client_journal(request, client_id):
    client = policy.get_client_for_care_team(request.user, client_id)
    entries = domain.entries_for(request.user, client, request=request)
    entries = _decorate(entries, request.user)
    for entry in entries:
        entry.reflect_next = f"/clients/{client.pk}/journal/#entry-{entry.pk}"
    return render(
        request, "practise/journal/client_journal.html", {"client": client, "entries": entries}
    )
