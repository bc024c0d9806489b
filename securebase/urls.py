from django.urls import include, path

from securebase.accounts import views as account_views
from securebase.api.api import api
from securebase.audit import views as audit_views
from securebase.care import practice_views
from securebase.care import views as care_views
from securebase.core import views as core_views
from securebase.core.routes import CARE_TEAM, at_root
from securebase.measures import views as measure_views

handler404 = "securebase.core.views.not_found"
handler500 = "securebase.core.views.server_error"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("metrics", core_views.metrics, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("account/", account_views.account, name="account"),
    path("account/tokens/", account_views.token_create, name="token_create"),
    path("account/tokens/<uuid:token_id>/revoke/", account_views.token_revoke, name="token_revoke"),
    path(
        "account/sign-out-everywhere/",
        account_views.sign_out_everywhere,
        name="sign_out_everywhere",
    ),
    # clinicians
    path("caseload/", care_views.caseload, name="caseload"),
    path("clients/new/", care_views.client_new, name="client_new"),
    path(CARE_TEAM, care_views.client_detail, name="client_detail"),
    path(f"{CARE_TEAM}edit/", care_views.client_edit, name="client_edit"),
    path(f"{CARE_TEAM}invite/", care_views.client_invite, name="client_invite"),
    path(f"{CARE_TEAM}care-team/", care_views.care_team_add, name="care_team_add"),
    path(
        f"{CARE_TEAM}care-team/<int:user_id>/remove/",
        care_views.care_team_remove,
        name="care_team_remove",
    ),
    path(f"{CARE_TEAM}partner/", care_views.partner_link, name="partner_link"),
    path(f"{CARE_TEAM}measures/", measure_views.client_measures, name="client_measures"),
    path(f"{CARE_TEAM}measures/paper/", measure_views.record_from_paper, name="record_from_paper"),
    path(
        f"{CARE_TEAM}measures/<str:administration_id>/",
        measure_views.administration_detail,
        name="administration_detail",
    ),
    path(
        f"{CARE_TEAM}measures/<str:administration_id>/fhir/",
        measure_views.administration_fhir,
        name="administration_fhir",
    ),
    # clients
    path("home/", care_views.client_home, name="client_home"),
    path("home/questionnaires/", measure_views.my_measures, name="my_measures"),
    path(
        "home/questionnaires/<str:assignment_id>/start/", measure_views.start, name="measure_start"
    ),
    path("home/answers/<str:administration_id>/", measure_views.answer, name="measure_answer"),
    path("home/answers/<str:administration_id>/send/", measure_views.review, name="measure_review"),
    path("support/", measure_views.support, name="support"),
    path("home/choices/", care_views.client_preferences, name="client_preferences"),
    path("invitation/<str:token>/", care_views.invitation_accept, name="invitation_accept"),
    # practice admins
    path("practice/people/", practice_views.people, name="practice_people"),
    path("practice/audit/", audit_views.audit_log, name="audit_log"),
    *at_root(
        "securebase.care.erasure.urls",
        "securebase.understand.moments.urls",
        "securebase.understand.history.urls",
        "securebase.understand.people.urls",
        "securebase.learn.urls",
        "securebase.practise.pause.urls",
        "securebase.practise.toolkit.urls",
        "securebase.practise.experiments.urls",
        "securebase.practise.reflections.urls",
        "securebase.practise.homework.urls",
        "securebase.practise.ladder.urls",
        "securebase.practise.journal.urls",
        "securebase.practise.reminders.urls",
        "securebase.practise.toolkit.clinician_urls",
        "securebase.practise.scripts.urls",
        "securebase.plan.goals.urls",
        "securebase.plan.checkins.urls",
        "securebase.plan.progress.urls",
        "securebase.plan.brief.urls",
        "securebase.safety.urls",
        "securebase.maintain.urls",
        "securebase.care.choice.urls",
    ),
    path("api/v1/", api.urls),
]
