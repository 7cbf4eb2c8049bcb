"""The list of distribution plans: published plans for everyone of the village, drafts too for
those who see the finances; bounded queries."""

import pytest
from django.test import Client
from django.urls import reverse

from assets.tests.distributions_testing import make_plan, publish
from villagegov.models import Role, User, Village
from villagegov.testing import client_for, make_person

pytestmark = pytest.mark.usefixtures("english")


def _url(village: Village) -> str:
    return reverse("distribution_list", args=[village.admin_code])


def test_residents_see_published_plans_only(village: Village, actor: User, resident_client: Client) -> None:
    publish(make_plan(village, actor, title="已公开方案"))
    make_plan(village, actor, income=None, shares=None, title="草稿方案")
    content = resident_client.get(_url(village)).content.decode()
    assert "已公开方案" in content and "草稿方案" not in content
    assert "Draft a plan" not in content


def test_finance_viewers_see_drafts_too(village: Village, actor: User, official_client: Client) -> None:
    publish(make_plan(village, actor, title="已公开方案"))
    make_plan(village, actor, income=None, shares=None, title="草稿方案")
    supervisor = client_for(make_person(village, roles=(Role.SUPERVISOR,), with_account=True))
    for client in (official_client, supervisor):
        content = client.get(_url(village)).content.decode()
        assert "已公开方案" in content and "草稿方案" in content
    assert "Draft a plan" in official_client.get(_url(village)).content.decode()


def test_queries_do_not_grow_with_plans(
    village: Village, actor: User, official_client: Client, django_assert_max_num_queries: object
) -> None:
    make_plan(village, actor)
    official_client.get(_url(village))
    for _ in range(8):
        publish(make_plan(village, actor, income=None, shares=None))
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert official_client.get(_url(village)).status_code == 200


def test_page_permissions(village: Village, outsider_client: Client) -> None:
    assert outsider_client.get(_url(village)).status_code == 404
    assert Client().get(_url(village)).status_code == 302
