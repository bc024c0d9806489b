from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from securebase.accounts import sessions, tokens
from securebase.accounts.forms import ProfileForm, TokenForm


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """Profile, language, security (two-factor, password, sessions) and API tokens."""
    form = ProfileForm(request.POST or None, instance=request.user, prefix="profile")
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("account")
    return render(request, "accounts/account.html", _account_context(request, form=form))


def _account_context(request, **extra):
    return {
        "form": ProfileForm(instance=request.user, prefix="profile"),
        "token_form": TokenForm(),
        "tokens": tokens.tokens_of(request.user),
        "now": timezone.now(),
        **extra,
    }


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return render(
            request, "accounts/account.html", _account_context(request, token_form=form), status=400
        )
    token, secret = tokens.create_token(
        request.user,
        name=form.cleaned_data["name"],
        scope=form.cleaned_data["scope"],
        days=form.cleaned_data["days"],
        request=request,
    )
    return render(
        request,
        "accounts/account.html",
        _account_context(request, new_token=token, new_secret=secret),
    )


@login_required
@require_POST
def token_revoke(request, token_id):
    token = tokens.own_token(request.user, token_id)
    if token is None:
        raise Http404
    tokens.revoke_token(token, by=request.user, request=request)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("account")


@login_required
@require_POST
def sign_out_everywhere(request):
    """End every session of this person, on every device, including this one; and, if they tick
    the box, every API token of theirs."""
    revoke_tokens = request.POST.get("revoke_tokens") == "1"
    sessions.sign_out_everywhere(request.user, revoke_tokens=revoke_tokens, request=request)
    logout(request)
    if revoke_tokens:
        messages.info(
            request, _("You are signed out on every device, and your API tokens no longer work.")
        )
    else:
        messages.info(request, _("You are signed out on every device."))
    return redirect("account_login")
