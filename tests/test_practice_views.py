from django.core import mail

from securebase.care.models import Membership


def test_an_admin_adds_a_clinician_who_gets_a_password_link(as_robin, practice):
    response = as_robin.post(
        "/practice/people/", {"name": "Kim Lee", "email": "kim@example.org", "role": "clinician"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="kim@example.org")
    assert (membership.practice, membership.role) == (practice, "clinician")
    assert not membership.user.has_usable_password()
    assert mail.outbox[-1].to == ["kim@example.org"]
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body


def test_the_people_form_keeps_what_was_typed(as_robin):
    response = as_robin.post(
        "/practice/people/", {"name": "Kim Lee", "email": "kim@", "role": "clinician"}
    )
    assert response.status_code == 200
    assert 'value="Kim Lee"' in response.text
    assert 'value="kim@"' in response.text


def test_clinicians_and_clients_cannot_manage_people(as_alex, as_maya):
    assert as_alex.get("/practice/people/").status_code == 404
    assert as_maya.get("/practice/people/").status_code == 404


def test_an_admin_lands_on_the_people_page(as_robin):
    assert as_robin.get("/")["Location"] == "/practice/people/"
