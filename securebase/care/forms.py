import uuid
import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from securebase.care.choice.domain import SHARING_KINDS
from securebase.care.models import Client, Membership
from securebase.care.terms import TERM_DEFAULTS
from securebase.core.identifiers import NormalisedEmailField


class ByNameIterator(forms.models.ModelChoiceIterator):
    """The choices sorted by the name shown: names are encrypted, so SQL cannot order them."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = sorted(
            self.queryset.all(),
            key=lambda o: (self.field.label_from_instance(o).casefold(), str(o.pk)),
        )
        for obj in rows:
            yield self.choice(obj)


class ByNameChoiceField(forms.ModelChoiceField):
    iterator = ByNameIterator


class ByNameMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = ByNameIterator


class SubmissionIdMixin(forms.Form):
    """A UUID made when the form is first shown; a resend of the same form creates nothing new."""

    submission_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_id", uuid.uuid4())


class ClientForm(forms.ModelForm):
    country = forms.ChoiceField(
        label=_("Country they live in"),
        choices=(),
        help_text=_(
            "Their crisis lines and emergency number come from it; ask them, since the language "
            "they speak does not tell. They can change it on their safety plan."
        ),
        error_messages={"required": _("Choose the country the client lives in.")},
    )

    class Meta:
        model = Client
        fields = ["name", "preferred_name", "email", "language", "country", "referral_reason"]
        widgets = {
            "referral_reason": forms.Textarea(attrs={"rows": 4}),
            "email": forms.EmailInput,
        }
        field_classes = {"email": NormalisedEmailField}
        help_texts = {
            "preferred_name": _("What the client likes to be called; shown throughout the app."),
            "referral_reason": _("Visible to the care team only. Stored encrypted."),
            "language": _("The language of the invitation email and the client's pages."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Choose…")), *countries]


class NewClientForm(SubmissionIdMixin, ClientForm):
    colleagues = ByNameMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Also on the care team"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("You are the lead clinician. Colleagues you add here can see this client."),
    )

    def __init__(self, *args, clinicians=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["colleagues"].queryset = clinicians
        self.fields["colleagues"].label_from_instance = lambda u: u.display_name
        if not clinicians.exists():
            del self.fields["colleagues"]


class EditClientForm(ClientForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CareTeamAddForm(forms.Form):
    clinician = ByNameChoiceField(
        queryset=None, label=_("Add a clinician"), empty_label=_("Choose a colleague")
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinician"].queryset = candidates
        self.fields["clinician"].label_from_instance = lambda u: u.display_name


class PartnerForm(forms.Form):
    partner = ByNameChoiceField(
        queryset=None,
        required=False,
        label=_("Partner (couple work)"),
        empty_label=_("No partner linked"),
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = candidates


class SharingChoiceField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=[
                ("0", _("Keep new entries private to me. I can share any entry later.")),
                ("1", _("Share new entries with my care team. I can make any entry private.")),
            ],
            coerce=lambda v: v == "1",
            widget=forms.RadioSelect,
            label=_("What your care team sees"),
            **kwargs,
        )


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. A few unrelated words work well."),
    )
    password2 = forms.CharField(
        label=_("Type it again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    shares_by_default = SharingChoiceField()

    def __init__(self, *args, user_for_validation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_for_validation = user_for_validation

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ. Type the same one twice."))
        elif p1:
            try:
                validate_password(p1, self.user_for_validation)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


# A short list to choose from; the client's current zone is always offered too.
COMMON_TIME_ZONES = (
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Madrid",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Amsterdam",
    "Europe/Rome",
    "Europe/Warsaw",
    "Europe/Athens",
    "Europe/Helsinki",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "America/St_Johns",
    "America/Halifax",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Mexico_City",
    "America/Bogota",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "UTC",
)


class ClientPreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Your check-in times and reminders follow this clock."),
    )
    shares_by_default = SharingChoiceField()
    pacing = forms.ChoiceField(
        label=_("Pacing"),
        choices=[
            ("gentle", _("Gentle: fewer prompts, and reminders that I can stop at any point")),
            ("standard", _("Standard")),
        ],
        widget=forms.RadioSelect,
    )
    in_session_only = forms.CharField(
        label=_("Topics I want to approach only in session"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your care team sees this, so they can hold these topics for your sessions."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zones = list(COMMON_TIME_ZONES)
        current = self.initial.get("time_zone")
        if current and current not in zones and _is_time_zone(current):
            zones.insert(0, current)
        choices = [(zone, zone.replace("_", " ")) for zone in zones]
        if not current:
            choices.insert(0, ("", _("Keep my current time zone")))
        self.fields["time_zone"].choices = choices
        for key, default in TERM_DEFAULTS.items():
            self.fields[f"term_{key}"] = forms.CharField(
                label=_("Your word for “%(word)s”") % {"word": default},
                required=False,
                max_length=40,
                help_text=_("As in “your ___”. Leave empty to keep “%(word)s”.")
                % {"word": default},
            )

    def clean_time_zone(self) -> str:
        """An IANA zone name known to this system, or "" to keep the current one."""
        value = self.cleaned_data.get("time_zone") or ""
        if value and not _is_time_zone(value):
            raise forms.ValidationError(_("Choose a time zone from the list."))
        return value

    def terms(self) -> dict[str, str]:
        return {
            key: self.cleaned_data.get(f"term_{key}", "").strip()
            for key in TERM_DEFAULTS
            if self.cleaned_data.get(f"term_{key}", "").strip()
        }


def _is_time_zone(name: str) -> bool:
    return name in zoneinfo.available_timezones()


# --- the client's choices: sharing at any time (securebase.care.choice.domain) ---------------------------


class SharingDefaultForm(forms.Form):
    shares_by_default = SharingChoiceField()


class PastEntriesSharingForm(forms.Form):
    """Share every past entry of one kind, or make every one private."""

    kind = forms.ChoiceField(choices=())
    shared = forms.TypedChoiceField(
        choices=[("0", _("private")), ("1", _("shared"))], coerce=lambda v: v == "1"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, k.label) for k in SHARING_KINDS]


class MemberForm(forms.Form):
    """A clinician or admin an admin adds to the practice, by name, email and role."""

    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.CLINICIAN
    )
