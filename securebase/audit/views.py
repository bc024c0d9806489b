"""The audit log for practice admins: browse and filter; nothing here can change an event."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from securebase.audit import domain
from securebase.care.access import admin_practice


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Person (email)"), required=False)
    client = forms.UUIDField(label=_("Client id"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any"))] + list(domain.ACTION_CHOICES)
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
def audit_log(request):
    practice = admin_practice(request)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = domain.events_for(practice.pk, by=request.user, request=request, **filters)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # htmx filtering swaps in just the results; without JavaScript the whole page comes back.
    template = "audit/_results.html" if request.htmx else "audit/audit_log.html"
    return render(
        request,
        template,
        {"form": form, "page": page, "practice": practice, "query": query.urlencode()},
    )
