"""Practice administration: the people of the practice. Admins see no client data here."""

from allauth.account.forms import ResetPasswordForm
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from securebase.care import domain
from securebase.care.access import admin_practice
from securebase.care.forms import MemberForm


@login_required
@require_http_methods(["GET", "POST"])
def people(request):
    practice = admin_practice(request)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, created = domain.add_practice_member(
            by=request.user,
            practice=practice,
            email=form.cleaned_data["email"],
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            request=request,
        )
        if created:
            # The new person chooses their own password through a one-hour reset link.
            reset = ResetPasswordForm(data={"email": user.email})
            if reset.is_valid():
                reset.save(request)
        messages.success(
            request,
            _(
                "%(email)s was added. They get an email to choose a "
                "password, then set up two-factor authentication."
            )
            % {"email": user.email},
        )
        return redirect("practice_people")
    return render(
        request,
        "care/practice_people.html",
        {"practice": practice, "members": domain.members_of(practice), "form": form},
    )
