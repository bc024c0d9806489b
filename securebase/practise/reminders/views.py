"""The client chooses when reminders come: by email or not, the time of day, quiet hours."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from securebase.care import policy
from securebase.core.saving import render_form
from securebase.practise.reminders import domain
from securebase.practise.reminders.forms import ReminderSettingsForm, initial_from


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request):
    client = policy.get_own_record_for(request.user)
    if request.method == "POST":
        form = ReminderSettingsForm(request.POST)
        if form.is_valid():
            domain.save_settings(client, by=request.user, data=form.cleaned_data, request=request)
            messages.success(request, _("Your reminder settings are saved."))
            return redirect("reminder_settings")
    else:
        prefs = domain.read_settings(client, by=request.user, request=request)
        form = ReminderSettingsForm(initial=initial_from(prefs))
    return render_form(request, "practise/reminders/settings.html", {"form": form})
