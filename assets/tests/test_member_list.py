"""The register of members: search by name or number, current/former/all, totals, pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from assets.tests.members_testing import make_member
from villagegov.models import Person, Role, Village
from villagegov.testing import client_for, make_person

pytestmark = pytest.mark.usefixtures("english")


def _url(village: Village, **params: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("member_list", args=[village.admin_code]) + (f"?{query}" if query else "")


def test_lists_current_members_with_totals(village: Village, official_client: Client) -> None:
    make_member(village, make_person(village, name="黄一"), shares="1.5")
    make_member(village, make_person(village, name="黄二"), shares=2)
    make_member(village, make_person(village, name="黄三"), shares=4, left_on=date(2024, 1, 1))
    response = official_client.get(_url(village))
    assert response.status_code == 200
    text = response.content.decode()
    assert "黄一" in text and "黄二" in text and "黄三" not in text
    assert response.context["totals"].members == 2 and response.context["totals"].shares == Decimal("3.50")
    left = official_client.get(_url(village, state="left"))
    assert [m.person.name for m in left.context["page_obj"]] == ["黄三"]
    everyone = official_client.get(_url(village, state="all"))
    assert everyone.context["totals"].members == 3


def test_search_by_name_or_number(village: Village, official_client: Client) -> None:
    make_member(village, make_person(village, name="陈大文"), number=12)
    make_member(village, make_person(village, name="李小明"), number=3)
    by_name = official_client.get(_url(village, q="大文"))
    assert [m.number for m in by_name.context["page_obj"]] == [12]
    by_number = official_client.get(_url(village, q="3"))
    assert [m.number for m in by_number.context["page_obj"]] == [3]
    nothing = official_client.get(_url(village, q="王"))
    assert "No member matches" in nothing.content.decode()


@pytest.mark.parametrize("query", ["²", "#²", "１２", "٣", "99999999999", "#" * 3])
def test_a_search_that_only_looks_like_a_number_finds_no_member(
    village: Village, official_client: Client, query: str
) -> None:
    make_member(village, make_person(village, name="陈大文"), number=12)
    make_member(village, make_person(village, name="李小明"), number=3)
    response = official_client.get(reverse("member_list", args=[village.admin_code]), {"q": query})
    assert response.status_code == 200 and list(response.context["page_obj"]) == []


def test_other_villages_members_are_not_listed(
    village: Village, other_village: Village, official_client: Client
) -> None:
    make_member(other_village, make_person(other_village, name="外村人"))
    response = official_client.get(_url(village))
    assert "外村人" not in response.content.decode() and response.context["totals"].members == 0


def test_bounded_queries(
    village: Village, official_client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for _ in range(3):
        make_member(village)
    with django_assert_max_num_queries(20) as few:
        official_client.get(_url(village))
    for _ in range(30):
        make_member(village)
    with django_assert_max_num_queries(len(few.captured_queries)):
        official_client.get(_url(village))


def test_paginated(village: Village, official_client: Client) -> None:
    for _ in range(55):
        make_member(village)
    first = official_client.get(_url(village))
    assert len(first.context["page_obj"]) == 50
    second = official_client.get(_url(village, page="2"))
    assert [m.number for m in second.context["page_obj"]] == [51, 52, 53, 54, 55]


def test_who_may_see_it(village: Village, resident_client: Client, outsider_client: Client) -> None:
    accountant = make_person(village, roles=(Role.ACCOUNTANT,), with_account=True)
    assert client_for(accountant).get(_url(village)).status_code == 200
    assert resident_client.get(_url(village)).status_code == 403
    assert outsider_client.get(_url(village)).status_code == 404
    assert Client().get(_url(village)).status_code == 302


def test_managers_are_offered_admitting(village: Village, official_client: Client, official: Person) -> None:
    assert (
        reverse("member_admit", args=[village.admin_code])
        in official_client.get(_url(village)).content.decode()
    )
    supervisor = make_person(village, roles=(Role.SUPERVISOR,), with_account=True)
    text = client_for(supervisor).get(_url(village)).content.decode()
    assert reverse("member_admit", args=[village.admin_code]) not in text
