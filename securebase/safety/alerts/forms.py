"""The care team's acknowledgement of an alert: the note that closes it."""

from django import forms
from django.utils.translation import gettext_lazy

from securebase.safety.alerts import domain


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What you did or decided"),
        max_length=domain.NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("Write a short note on what you did or decided.")},
        help_text=gettext_lazy("Required. Seen only by the client's care team."),
    )
