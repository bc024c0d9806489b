"""The audit log for practice admins: browse and filter; nothing here can change an event."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from securebase.audit.log import Action, record
from securebase.audit.models import AuditEvent
from securebase.care.practice_views import admin_practice


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Person (email)"), required=False)
    client = forms.UUIDField(label=_("Client id"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any"))] + list(Action.choices)
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
    events = AuditEvent.objects.filter(practice_id=practice.pk)
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            events = events.filter(actor_label__icontains=data["actor"].strip())
        if data["client"]:
            events = events.filter(client_id=data["client"])
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["since"]:
            events = events.filter(at__date__gte=data["since"])
        if data["until"]:
            events = events.filter(at__date__lte=data["until"])
    page = Paginator(events.order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
    record(
        actor=request.user,
        action=Action.READ,
        object_type="audit_log",
        practice_id=practice.pk,
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    # htmx filtering swaps in just the results; without JavaScript the whole page comes back.
    template = "audit/_results.html" if request.htmx else "audit/audit_log.html"
    return render(
        request,
        template,
        {"form": form, "page": page, "practice": practice, "query": query.urlencode()},
    )
