"""A member's page: the person, the shares, the share history, joining and leaving, the confirming
resolution linked to its page, and the forms for managers."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from assets.models import Membership
from assets.tests.members_testing import change_shares, confirming_resolution, make_member
from villagegov.models import Role, Village
from villagegov.testing import client_for, make_person

pytestmark = pytest.mark.usefixtures("english")


def _url(membership: Membership) -> str:
    return reverse("member_detail", args=[membership.village.admin_code, membership.pk])


def test_shows_the_member_the_history_and_the_resolution(village: Village, official_client: Client) -> None:
    resolution = confirming_resolution(village, title="关于确认首批成员的决议")
    membership = make_member(
        village,
        make_person(village, name="林成员"),
        shares=2,
        number=42,
        confirmed_by=resolution,
        joined_on=date(2020, 1, 1),
    )
    change_shares(membership, "3.25", effective_on=date(2023, 6, 1), reason="家庭股调整")
    response = official_client.get(_url(membership))
    text = response.content.decode()
    assert response.status_code == 200
    assert "林成员" in text and "Member no. 42" in text and "3.25" in text and "家庭股调整" in text
    assert reverse("resolution_detail", args=[village.admin_code, resolution.pk]) in text
    assert "关于确认首批成员的决议" in text
    assert [change.shares_after for change in response.context["history"]] == [2, 3.25]
    assert response.context["shares_form"] is not None and response.context["leave_form"] is not None


def test_no_forms_for_a_former_member_or_a_viewer(village: Village, official_client: Client) -> None:
    former = make_member(village, left_on=timezone.localdate() - timedelta(days=1), leave_reason="death")
    response = official_client.get(_url(former))
    assert response.context["shares_form"] is None and response.context["leave_form"] is None
    assert "former member" in response.content.decode()
    current = make_member(village)
    supervisor = make_person(village, roles=(Role.SUPERVISOR,), with_account=True)
    response = client_for(supervisor).get(_url(current))
    assert response.status_code == 200 and response.context["shares_form"] is None


def test_bounded_queries(
    village: Village, official_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    membership = make_member(village)
    with django_assert_max_num_queries(25) as few:
        official_client.get(_url(membership))
    for day in range(2, 20):
        change_shares(membership, day, effective_on=date(2021, 1, day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        official_client.get(_url(membership))


def test_who_may_see_it(
    village: Village,
    other_village: Village,
    official_client: Client,
    resident_client: Client,
    outsider_client: Client,
) -> None:
    membership = make_member(village)
    assert resident_client.get(_url(membership)).status_code == 403
    assert outsider_client.get(_url(membership)).status_code == 404
    assert Client().get(_url(membership)).status_code == 302
    elsewhere = make_member(other_village)
    assert (
        official_client.get(reverse("member_detail", args=[village.admin_code, elsewhere.pk])).status_code
        == 404
    )
