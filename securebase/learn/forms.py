from django import forms
from django.utils.translation import gettext_lazy as _

from securebase.care.forms import SubmissionIdMixin

NOTE_MAX_LENGTH = 1000


class SendPageForm(SubmissionIdMixin):
    page = forms.ChoiceField(label=_("Page to send"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("A note for the client"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown with the page, on the client's reading list. Stored encrypted."),
    )

    def __init__(self, *args, pages=None, **kwargs):
        """``pages``: {slug: rendered page}, in library order, titled in the clinician's language."""
        super().__init__(*args, **kwargs)
        self.fields["page"].choices = [(slug, page.title) for slug, page in (pages or {}).items()]
