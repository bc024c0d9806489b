from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from securebase.accounts import throttle
from securebase.accounts.models import ApiToken, User
from securebase.core.identifiers import normalise_email

# allauth's error codes for a wrong password (email sign-in) and a wrong one-time code.
WRONG_PASSWORD = "email_password_mismatch"  # noqa: S105 (an error code, not a secret)
WRONG_CODE = "incorrect_code"


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


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form, slowed per (account, address): while that pair must wait, the
    password is refused without being checked, with how long to wait; a wrong one counts."""

    def __init__(self, *args, **kwargs):
        # The address is normalised before allauth validates it: ``MAYA@…`` and fullwidth
        # ``ｍａｙａ@…`` sign in to (and are throttled as) the account of ``maya@…``.
        if args:
            kwargs["data"], args = args[0], args[1:]
        data = kwargs.get("data")
        if data is not None and isinstance(data.get("login"), str):
            data = data.copy()
            data["login"] = normalise_email(data["login"])
            kwargs["data"] = data
        super().__init__(*args, **kwargs)

    def clean(self):
        if self._errors or not self.cleaned_data.get("password"):
            return super().clean()
        email = self.cleaned_data["login"]
        with throttle.one_attempt_at_a_time(self.request, email) as alone:
            # A burst that keeps the pair busy is told to wait like any other.
            wait = throttle.seconds_to_wait(self.request, email) if alone else throttle.BURST_WAIT
            if wait > 0:
                throttle.login_throttled.send(sender=type(self), request=self.request, email=email)
                raise ValidationError(throttle.wait_message(wait), code="throttled")
            try:
                return super().clean()
            except ValidationError as error:
                if error.code == WRONG_PASSWORD:
                    throttle.record_failure(self.request, email)
                raise


class MfaCodeForm(AuthenticateForm):
    """allauth's code form, with a number pad on phones and a label a tired person understands.
    Every code is checked, so the right one gets in whatever came before it; a wrong one counts
    against the (account, address), so the next password from there waits."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = _("Code")
        code.widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "one-time-code", "placeholder": "123456"}
        )

    def clean_code(self) -> str:
        try:
            return super().clean_code()
        except ValidationError as error:
            if error.code == WRONG_CODE:
                throttle.record_failure(context.request, self.user.email)
            raise
