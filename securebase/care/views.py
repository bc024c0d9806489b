"""Clinician and client pages about client records. Thin: access through policy, changes
through domain."""

from __future__ import annotations

import copy

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from securebase.care import domain, policy
from securebase.care.access import clinician_required
from securebase.care.forms import (
    AcceptInvitationForm,
    CareTeamAddForm,
    ClientPreferencesForm,
    EditClientForm,
    NewClientForm,
    PartnerForm,
)
from securebase.core.idempotency import SubmissionKeyReused
from securebase.core.versioning import StaleSave, refused_form
from securebase.plan.caseload import domain as plan_caseload

User = get_user_model()


@clinician_required
def caseload(request):
    """The clinician's clients (only those whose care team they are on), with last session,
    what is due next and alerts; sortable, and the days without a check-in that raise an alert
    are chosen on the page."""
    sort = plan_caseload.parse_sort(request.GET.get("sort"))
    missed_days = plan_caseload.parse_missed_days(
        request.GET.get("missed_days", plan_caseload.default_missed_days())
    )
    rows = plan_caseload.read_caseload(
        request.user, missed_days=missed_days, sort=sort, request=request
    )
    return render(
        request,
        "care/caseload.html",
        {
            "rows": rows,
            "clients": [row.client for row in rows],
            "sort": sort,
            "missed_days": missed_days,
            "missed_days_range": plan_caseload.MISSED_DAYS_RANGE,
        },
    )


@clinician_required
@require_http_methods(["GET", "POST"])
def client_new(request):
    practice = domain.practice_for_new_clients(request.user)
    colleagues = domain.practice_clinicians(practice, excluding=[request.user.pk])
    form = NewClientForm(request.POST or None, clinicians=colleagues)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client, _created = domain.create_client(
                by=request.user,
                practice=practice,
                data=data,
                colleagues=[c.pk for c in data.get("colleagues", [])],
                submission_id=data["submission_id"],
                request=request,
            )
        except SubmissionKeyReused:
            form.add_error(
                None,
                _(
                    "This form was already sent with different details. "
                    "Reload the page to start a new client record."
                ),
            )
        except domain.EmailTaken as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(request, _("Client record created."))
            return redirect("client_detail", client_id=client.pk)
    return render(request, "care/client_form.html", {"form": form, "is_new": True})


@login_required
def client_detail(request, client_id):
    client = policy.get_client_for_user(request.user, client_id)
    if not policy.is_on_care_team(request.user, client):
        # A client reads their own record through their home page.
        return redirect("client_home")
    page = domain.record_page(client, by=request.user, request=request)
    candidates = page.team_candidates
    context = {
        "client": client,
        "team": page.team,
        "team_form": CareTeamAddForm(candidates=candidates) if candidates.exists() else None,
        "partner_form": PartnerForm(
            candidates=page.partner_candidates, initial={"partner": client.partner_id}
        ),
        "open_alerts": page.open_alerts,
        "open_invitation": page.open_invitation,
    }
    return render(request, "care/client_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def client_edit(request, client_id):
    if request.method == "GET":
        client = domain.get_client_to_edit(request.user, client_id, request=request)
    else:
        client = policy.get_client_for_care_team(request.user, client_id)
    stale = None
    if request.method == "POST":
        # The form writes what was typed onto its instance; the heading keeps the saved name.
        form = EditClientForm(request.POST, instance=copy.copy(client))
        if form.is_valid():
            try:
                domain.update_client(
                    by=request.user,
                    client=client,
                    data=form.cleaned_data,
                    version=form.cleaned_data["version"],
                    request=request,
                )
            except domain.EmailTaken as exc:
                form.add_error("email", str(exc))
            except StaleSave as exc:
                form, stale = refused_form(
                    request,
                    exc,
                    EditClientForm,
                    instance=exc.current,
                    show="care/_client_details.html",
                    context={"record": exc.current},
                    message=_(
                        "Someone else saved this record while you were editing. Nothing was "
                        "overwritten: their version is shown with the form, which still holds your "
                        "changes. Compare, then save again."
                    ),
                )
            else:
                messages.success(request, _("Changes saved."))
                return redirect("client_detail", client_id=client.pk)
    else:
        form = EditClientForm(instance=client, initial={"version": client.version})
    return render(
        request,
        "care/client_form.html",
        {"form": form, "client": client, "is_new": False, "stale": stale},
    )


@login_required
@require_POST
def client_invite(request, client_id):
    client = policy.get_client_for_care_team(request.user, client_id)
    try:
        domain.invite_client(by=request.user, client=client, request=request)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Invitation sent to %(email)s. The link works once, for 7 days.")
            % {"email": client.email},
        )
    return redirect("client_detail", client_id=client.pk)


@login_required
@require_POST
def care_team_add(request, client_id):
    client = policy.get_client_for_care_team(request.user, client_id)
    form = CareTeamAddForm(request.POST, candidates=domain.practice_clinicians(client.practice))
    if form.is_valid():
        domain.add_to_care_team(
            by=request.user,
            client=client,
            clinician=form.cleaned_data["clinician"],
            request=request,
        )
        messages.success(request, _("Care team updated."))
    else:
        messages.error(request, _("Choose a clinician of this practice to add."))
    return redirect("client_detail", client_id=client.pk)


@login_required
@require_POST
def care_team_remove(request, client_id, user_id):
    client = policy.get_client_for_care_team(request.user, client_id)
    member = domain.care_team_member(client, user_id)
    try:
        domain.remove_from_care_team(
            by=request.user, client=client, clinician=member.clinician, request=request
        )
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("client_detail", client_id=client.pk)
    messages.success(request, _("Care team updated."))
    if member.clinician_id == request.user.pk:
        return redirect("caseload")
    return redirect("client_detail", client_id=client.pk)


@login_required
@require_POST
def partner_link(request, client_id):
    client = policy.get_client_for_care_team(request.user, client_id)
    form = PartnerForm(request.POST, candidates=domain.partner_candidates(request.user, client))
    if form.is_valid():
        domain.link_partners(
            by=request.user, client=client, partner=form.cleaned_data["partner"], request=request
        )
        messages.success(request, _("Couple link updated."))
    else:
        messages.error(request, _("Choose one of your clients as the partner."))
    return redirect("client_detail", client_id=client.pk)


# --- the client's own pages -------------------------------------------------------------------


@login_required
def client_home(request):
    """The client's home: what is due now, this week's homework, new notes from their clinician,
    their latest practice and the way to every part of their programme."""
    home = plan_caseload.home_for(request.user, request=request)
    return render(request, "care/client_home.html", dict(vars(home)))


@login_required
@require_http_methods(["GET", "POST"])
def client_preferences(request):
    client = policy.get_own_record_for(request.user)
    initial = {
        "language": client.language,
        "shares_by_default": "1" if client.shares_by_default else "0",
        "pacing": client.pacing,
        "in_session_only": client.in_session_only,
        "time_zone": client.time_zone,
        **{f"term_{k}": v for k, v in (client.preferred_terms or {}).items()},
    }
    form = ClientPreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        domain.set_preferences(
            client=client,
            by=request.user,
            request=request,
            shares_by_default=form.cleaned_data["shares_by_default"],
            language=form.cleaned_data["language"],
            pacing=form.cleaned_data["pacing"],
            terms=form.terms(),
            in_session_only=form.cleaned_data["in_session_only"],
            time_zone=form.cleaned_data.get("time_zone") or client.time_zone,
        )
        messages.success(request, _("Your choices are saved."))
        return redirect("client_home")
    return render(request, "care/client_preferences.html", {"form": form})


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    try:
        invitation = domain.find_open_invitation(token)
    except domain.InvitationInvalid as exc:
        return render(request, "care/invitation_invalid.html", {"message": str(exc)}, status=404)
    client = invitation.client
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        # Before the person chooses, speak the language their clinician chose for them.
        translation.activate(client.language)
        request.LANGUAGE_CODE = client.language
    probe = User(email=invitation.email, name=client.name)
    initial = {"language": client.language, "shares_by_default": "0"}
    form = AcceptInvitationForm(request.POST or None, initial=initial, user_for_validation=probe)
    if request.method == "POST" and form.is_valid():
        try:
            user = domain.accept_invitation(
                token=token,
                password=form.cleaned_data["password1"],
                language=form.cleaned_data["language"],
                shares_by_default=form.cleaned_data["shares_by_default"],
                request=request,
            )
        except domain.InvitationInvalid as exc:
            return render(
                request, "care/invitation_invalid.html", {"message": str(exc)}, status=404
            )
        login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
        messages.success(request, _("Welcome. Your account is ready."))
        return redirect("client_home")
    return render(
        request,
        "care/invitation_accept.html",
        {"form": form, "client": client, "email": invitation.email},
    )
