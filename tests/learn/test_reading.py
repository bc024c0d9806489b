"""Sending library pages and reading them: the flow, access, pacing, words and the audit trail."""

import uuid

import pytest
from django.db import connection
from django.urls import reverse

from securebase.audit.models import AuditEvent
from securebase.learn import domain
from securebase.learn.models import SentPage
from tests import factories
from tests.conftest import sign_in

SLUG = "window-of-tolerance"
# session, user, roles, client record, sent pages, then the audit event (5 with its savepoint)
LIBRARY_QUERIES = 10
# session, user, roles and MFA, client, care-team check, sent pages, the audit event (5)
SEND_PAGE_QUERIES = 12


def _send(web, client, slug=SLUG, note="", submission_id=None):
    return web.post(
        reverse("client_learn", args=[client.pk]),
        {"page": slug, "note": note, "submission_id": submission_id or uuid.uuid4()},
    )


def _events(client, object_type):
    return list(
        AuditEvent.objects.filter(client_id=client.pk, object_type=object_type)
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


# --- sending and reading -------------------------------------------------------------------------


def test_the_clinician_sends_a_page_with_a_note(as_alex, alex, maya):
    response = _send(as_alex, maya, note="For what we spoke about on Tuesday.")

    assert response.status_code == 302
    sent = SentPage.objects.get(client=maya)
    assert (sent.slug, sent.sent_by, sent.note, sent.read_at) == (
        SLUG,
        alex,
        "For what we spoke about on Tuesday.",
        None,
    )


def test_the_note_is_stored_encrypted(as_alex, maya):
    _send(as_alex, maya, note="A private note")

    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM learn_sentpage")
        (stored,) = cursor.fetchone()
    assert "A private note" not in stored


def test_sending_the_same_form_twice_sends_one_page(as_alex, maya):
    key = uuid.uuid4()

    _send(as_alex, maya, submission_id=key)
    _send(as_alex, maya, submission_id=key)

    assert SentPage.objects.filter(client=maya).count() == 1


def test_an_unknown_page_cannot_be_sent(as_alex, maya):
    response = _send(as_alex, maya, slug="not-a-page")

    assert response.status_code == 200
    assert response.context["form"].errors["page"]
    assert SentPage.objects.count() == 0


def test_the_client_sees_sent_pages_first_with_the_note(as_alex, as_maya, maya):
    _send(as_alex, maya, note="Have a look when you can.")

    response = as_maya.get(reverse("learn_library"))

    assert response.status_code == 200
    assert [row["page"].slug for row in response.context["sent"]] == [SLUG]
    assert [row["unread"] for row in response.context["sent"]] == [True]
    assert SLUG not in [page.slug for page in response.context["others"]]
    assert len(response.context["others"]) == 4
    content = response.content.decode()
    assert content.index("From your clinician") < content.index("More to read")
    assert "Have a look when you can." in content


def test_opening_a_sent_page_marks_it_read(as_alex, as_maya, maya):
    _send(as_alex, maya, note="Take your time with it.")

    response = as_maya.get(reverse("learn_page", args=[SLUG]))

    assert response.status_code == 200
    assert "Take your time with it." in response.content.decode()
    assert SentPage.objects.get(client=maya).read_at is not None
    library = as_maya.get(reverse("learn_library"))
    assert [row["unread"] for row in library.context["sent"]] == [False]


def test_the_clinician_sees_which_pages_were_opened(as_alex, as_maya, maya):
    _send(as_alex, maya, slug=SLUG)
    _send(as_alex, maya, slug="small-steps")
    as_maya.get(reverse("learn_page", args=[SLUG]))

    response = as_alex.get(reverse("client_learn", args=[maya.pk]))

    opened = {row["item"].slug: row["item"].read_at is not None for row in response.context["sent"]}
    assert opened == {SLUG: True, "small-steps": False}
    assert "Not opened yet" in response.content.decode()


def test_the_client_can_open_any_page_of_the_library(as_maya):
    response = as_maya.get(reverse("learn_page", args=["four-strategies"]))

    assert response.status_code == 200
    assert response.context["page"].slug == "four-strategies"


def test_an_unknown_page_is_not_found(as_maya):
    assert as_maya.get(reverse("learn_page", args=["nope"])).status_code == 404


# --- the client's words, language and pacing ---------------------------------------------------


def test_the_clients_own_word_replaces_the_placeholder(as_maya, maya):
    maya.preferred_terms = {"partner": "Sol"}
    maya.save(update_fields=["preferred_terms"])

    content = as_maya.get(reverse("learn_page", args=["small-steps"])).content.decode()

    assert "One warm reply from your Sol" in content
    assert "{partner}" not in content


def test_a_term_with_html_is_shown_escaped(as_maya, maya):
    maya.preferred_terms = {"partner": "<script>alert(1)</script>"}
    maya.save(update_fields=["preferred_terms"])

    content = as_maya.get(reverse("learn_page", args=["small-steps"])).content.decode()

    assert "your &lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "<script>alert(1)" not in content


def test_a_spanish_speaking_client_reads_in_spanish(as_maya, maya):
    maya.language = "es"
    maya.save(update_fields=["language"])

    response = as_maya.get(reverse("learn_page", args=["attachment-patterns"]))

    assert response.context["page"].language == "es"
    assert str(response.context["page"].title) == "Qué son los patrones de apego"
    assert 'lang="es"' in response.content.decode()


@pytest.mark.parametrize(("pacing", "shown"), [("gentle", True), ("standard", False)])
def test_gentle_pacing_shows_a_calm_note(as_maya, maya, pacing, shown):
    maya.pacing = pacing
    maya.save(update_fields=["pacing"])

    for url in (reverse("learn_library"), reverse("learn_page", args=[SLUG])):
        content = as_maya.get(url).content.decode()
        assert ('class="learn-gentle"' in content) is shown, url


def test_the_clinician_previews_a_page_as_the_client_sees_it(as_alex, maya):
    maya.preferred_terms = {"friend": "Noor"}
    maya.language = "es"
    maya.save(update_fields=["preferred_terms", "language"])

    response = as_alex.get(reverse("client_learn_page", args=[maya.pk, "small-steps"]))

    assert response.status_code == 200
    assert "contarle a tu Noor" in response.content.decode()
    assert _events(maya, "learn_page") == ["read"]


def test_a_clinician_may_preview_the_library_with_default_words(as_alex):
    library = as_alex.get(reverse("learn_library"))
    page = as_alex.get(reverse("learn_page", args=["small-steps"]) + "?lang=es")

    assert library.status_code == 200
    assert len(library.context["others"]) == 5
    assert page.context["page"].language == "es"


def test_the_clinician_is_shown_topics_the_client_keeps_for_sessions(as_alex, maya):
    maya.in_session_only = "My father's illness"
    maya.save(update_fields=["in_session_only"])

    content = as_alex.get(reverse("client_learn", args=[maya.pk])).content.decode()

    assert "My father&#x27;s illness" in content


# --- access --------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["sam", "priya", "maya"])
def test_only_the_care_team_opens_the_send_page(request, maya, who):
    person = request.getfixturevalue(who)
    web = sign_in(person if who == "sam" else person.user)

    urls = [
        reverse("client_learn", args=[maya.pk]),
        reverse("client_learn_page", args=[maya.pk, SLUG]),
    ]

    assert [web.get(url).status_code for url in urls] == [404, 404]
    assert _send(web, maya).status_code == 404
    assert SentPage.objects.count() == 0


def test_a_clinician_of_another_practice_cannot_send_a_page(maya):
    stranger = factories.make_clinician(factories.make_practice("Elsewhere"), "far@example.org")
    web = sign_in(stranger)

    assert web.get(reverse("client_learn", args=[maya.pk])).status_code == 404
    assert _send(web, maya).status_code == 404
    assert SentPage.objects.count() == 0


def test_unknown_client_ids_are_not_found(as_alex):
    for client_id in (uuid.uuid4(), "x"):
        assert as_alex.get(reverse("client_learn", args=[client_id])).status_code == 404


def test_another_client_never_sees_or_marks_pages_sent_to_maya(as_alex, as_priya, maya):
    _send(as_alex, maya, note="Only for Maya")

    library = as_priya.get(reverse("learn_library"))
    as_priya.get(reverse("learn_page", args=[SLUG]))

    assert library.context["sent"] == []
    assert "Only for Maya" not in library.content.decode()
    assert SentPage.objects.get(client=maya).read_at is None


def test_anonymous_people_are_sent_to_sign_in(client, maya):
    urls = [
        reverse("learn_library"),
        reverse("learn_page", args=[SLUG]),
        reverse("client_learn", args=[maya.pk]),
        reverse("client_learn_page", args=[maya.pk, SLUG]),
    ]
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (url, method)
            assert response["Location"].startswith("/accounts/login/"), url


def test_people_who_are_neither_client_nor_clinician_cannot_read_the_library(as_robin):
    assert as_robin.get(reverse("learn_library")).status_code == 404
    assert as_robin.get(reverse("learn_page", args=[SLUG])).status_code == 404


def test_a_clinician_without_mfa_cannot_read_the_library(practice):
    newcomer = factories.make_clinician(practice, "new@example.org", mfa=False)

    response = sign_in(newcomer).get(reverse("learn_library"))

    assert response.status_code in (302, 404)


# --- the audit trail -----------------------------------------------------------------------------


def test_sending_a_page_is_audited_without_the_note(as_alex, maya):
    _send(as_alex, maya, note="Private words")

    event = AuditEvent.objects.get(client_id=maya.pk, object_type="sent_page")
    assert (event.action, event.detail) == ("create", {"slug": SLUG, "with_note": True})
    assert "Private words" not in str(list(AuditEvent.objects.values()))


def test_reading_a_sent_page_is_audited_once_as_a_change(as_alex, as_maya, maya):
    _send(as_alex, maya)

    as_maya.get(reverse("learn_page", args=[SLUG]))
    as_maya.get(reverse("learn_page", args=[SLUG]))

    assert _events(maya, "sent_page") == ["create", "update"]
    assert _events(maya, "learn_page") == ["read", "read"]


def test_the_reading_lists_are_audited(as_alex, as_maya, maya):
    as_maya.get(reverse("learn_library"))
    as_alex.get(reverse("client_learn", args=[maya.pk]))

    assert _events(maya, "sent_pages") == ["list", "read"]


def test_open_page_marks_every_unread_sending_of_that_page(alex, maya):
    for _ in range(2):
        domain.send_page(by=alex, client=maya, slug=SLUG)
    domain.send_page(by=alex, client=maya, slug="small-steps")

    domain.open_page(by=maya.user, client=maya, slug=SLUG)

    unread = set(SentPage.objects.filter(read_at__isnull=True).values_list("slug", flat=True))
    assert unread == {"small-steps"}


# --- query counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("how_many", [1, 5])
def test_the_clients_library_query_count_stays_constant(
    as_maya, alex, maya, how_many, django_assert_num_queries
):
    for slug in ["attachment-patterns", "four-strategies", SLUG, "small-steps", SLUG][:how_many]:
        domain.send_page(by=alex, client=maya, slug=slug, note="n")
    as_maya.get(reverse("learn_library"))  # warm the file cache

    with django_assert_num_queries(LIBRARY_QUERIES):
        as_maya.get(reverse("learn_library"))


@pytest.mark.parametrize("how_many", [1, 5])
def test_the_send_page_query_count_stays_constant(
    as_alex, alex, maya, how_many, django_assert_num_queries
):
    for _ in range(how_many):
        domain.send_page(by=alex, client=maya, slug=SLUG, note="n")

    with django_assert_num_queries(SEND_PAGE_QUERIES):
        as_alex.get(reverse("client_learn", args=[maya.pk]))
