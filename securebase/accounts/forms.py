from allauth.mfa.base.forms import AuthenticateForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from securebase.accounts.models import ApiToken, User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "language"]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("What is this token for?"), max_length=80)
    scope = forms.ChoiceField(
        label=_("Access"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=366,
        initial=settings.API_TOKEN_DEFAULT_DAYS,
    )


class MfaCodeForm(AuthenticateForm):
    """allauth's code form, with a number pad on phones and a label a tired person understands."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = _("Code")
        code.widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "one-time-code", "placeholder": "123456"}
        )
