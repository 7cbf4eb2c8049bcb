"""A plan's page: its figures as a waterfall chart, the gates, the actions the state allows, the
allocation table paginated and searchable with the member's own line highlighted; drafts are 404
for those who do not see the finances; bounded queries whatever the number of members."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from assets.models import Allocation, DistributionPlan
from assets.tests.distributions_testing import make_plan, publish
from assets.tests.members_testing import make_member
from villagegov.models import Person, Role, User, Village
from villagegov.testing import client_for, make_person

pytestmark = pytest.mark.usefixtures("english")


def _url(plan: DistributionPlan, query: str = "") -> str:
    return reverse("distribution_detail", args=[plan.village.admin_code, plan.pk]) + query


def test_shows_the_figures_chart_and_rounding_rule(
    village: Village, actor: User, official_client: Client
) -> None:
    plan = make_plan(village, actor, income="1000.00", shares=("1", "2"))
    content = official_client.get(_url(plan)).content.decode()
    for figure in ("¥1,000.00", "¥100.00", "¥900.00", "¥300.00", "¥600.00"):
        assert figure in content
    assert "chart-bar--distributed" in content and "chart-bar--reserve" in content
    assert "lower member number first" in content
    assert "Publish the plan" in content


def test_drafts_are_404_for_those_who_do_not_see_the_finances(
    village: Village, actor: User, resident_client: Client
) -> None:
    plan = make_plan(village, actor)
    assert resident_client.get(_url(plan)).status_code == 404
    publish(plan)
    assert resident_client.get(_url(plan)).status_code == 200


def test_a_members_own_line_is_highlighted(village: Village, actor: User, resident: Person) -> None:
    make_member(village, resident, shares="3")
    plan = publish(make_plan(village, actor, income="1000.00", shares=("1",)))
    content = client_for(resident).get(_url(plan)).content.decode()
    assert "Your line" in content and 'class="own-line"' in content
    assert "Member 1: 3.00 shares, ¥675.00." in content
    assert "Publish the plan" not in content and "Start paying" not in content


def test_search_by_name_or_number(village: Village, actor: User, official_client: Client) -> None:
    for name in ("张三", "李四", "王五"):
        make_member(village, make_person(village, name=name), shares="1")
    plan = make_plan(village, actor, shares=None)
    named = official_client.get(_url(plan, "?q=李")).content.decode()
    assert "李四" in named and "张三" not in named and "王五" not in named
    by_number = official_client.get(_url(plan, "?q=3")).content.decode()
    assert "王五" in by_number and "张三" not in by_number and "李四" not in by_number
    nobody = official_client.get(_url(plan, "?q=nobody")).content.decode()
    assert "No member matches." in nobody


@pytest.mark.parametrize("query", ["²", "３", "99999999999999999999999", "123456789012"])
def test_search_by_odd_digits_finds_nobody_without_failing(
    village: Village, actor: User, official_client: Client, query: str
) -> None:
    make_member(village, make_person(village, name="张三"), shares="1")
    plan = make_plan(village, actor, shares=None)
    response = official_client.get(_url(plan, "?q=" + query))
    assert response.status_code == 200
    assert "No member matches." in response.content.decode()


def _queries_for(village: Village, actor: User, members: int, client: Client, assert_max: object) -> None:
    for index in range(members):
        make_member(village, shares=Decimal(index % 3 + 1))
    plan = publish(make_plan(village, actor, shares=None))
    assert Allocation.objects.filter(plan=plan).count() == members
    with assert_max(25):  # type: ignore[operator]
        assert client.get(_url(plan)).status_code == 200


@pytest.mark.parametrize("members", [5, 120])
def test_queries_do_not_grow_with_members(
    village: Village,
    actor: User,
    official_client: Client,
    django_assert_max_num_queries: object,
    members: int,
) -> None:
    _queries_for(village, actor, members, official_client, django_assert_max_num_queries)


def test_page_permissions(village: Village, actor: User, outsider_client: Client) -> None:
    plan = publish(make_plan(village, actor))
    assert outsider_client.get(_url(plan)).status_code == 404
    assert Client().get(_url(plan)).status_code == 302
    missing = reverse("distribution_detail", args=[village.admin_code, plan.pk + 1000])
    official = make_person(village, roles=(Role.COMMITTEE_MEMBER,), with_account=True)
    assert client_for(official).get(missing).status_code == 404
