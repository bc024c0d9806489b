"""The access policy as plain functions, person by person (DESIGN.md section 3)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from securebase.care import policy
from securebase.care.models import Client


def test_the_treating_clinician_gets_the_client(alex, maya):
    assert policy.get_client_for_care_team(alex, maya.pk) == maya


@pytest.mark.parametrize("who", ["sam", "robin", "priya", "maya", "anonymous"])
def test_everyone_else_gets_404_from_the_care_team_door(who, request, maya):
    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    user = getattr(user, "user", user)  # client fixtures are Client records
    with pytest.raises(Http404):
        policy.get_client_for_care_team(user, maya.pk)


def test_a_client_may_see_their_own_record_but_not_act_for_the_care_team(maya):
    assert policy.get_client_for_user(maya.user, maya.pk) == maya
    assert policy.is_on_care_team(maya.user, maya) is False


def test_a_couple_does_not_see_each_others_record(couple):
    jordan, casey = couple
    assert list(Client.objects.visible_to(jordan.user)) == [jordan]
    with pytest.raises(Http404):
        policy.get_client_for_user(jordan.user, casey.pk)


def test_an_inactive_membership_hides_the_caseload(alex, maya):
    alex.memberships.update(is_active=False)
    policy.forget_roles(alex)
    assert list(Client.objects.visible_to(alex)) == []


def test_an_inactive_account_sees_nothing(alex, maya):
    alex.is_active = False
    assert list(Client.objects.visible_to(alex)) == []


def test_roles_are_read_once_per_request(alex, django_assert_num_queries):
    policy.forget_roles(alex)
    with django_assert_num_queries(2):  # memberships, then the authenticator
        policy.roles_of(alex)
        policy.roles_of(alex)
