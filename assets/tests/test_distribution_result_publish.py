"""Publishing the result of a distribution (实施结果公开): paid and unpaid members and amounts on
the disclosure board, once payment started, once."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assets.models import Allocation, DistributionPlan
from assets.services.distributions import distribution_pay_start, distribution_result_publish, payment_record
from assets.tests.distributions_testing import (
    YEAR,
    accountant,
    collective_head,
    make_plan,
    publish,
    ready_to_pay,
    user_of,
)
from supervision.models import DisclosureItem, DisclosureSection
from villagegov.models import User, Village

pytestmark = pytest.mark.usefixtures("english")


def _paying(village: Village, actor: User) -> DistributionPlan:
    return distribution_pay_start(
        actor=actor, plan=ready_to_pay(village, actor, income="1000.00", shares=("1", "1"))
    )


def test_publishes_paid_and_unpaid_figures(village: Village, actor: User) -> None:
    plan = _paying(village, actor)
    line = Allocation.objects.filter(plan=plan).order_by("membership__number").first()
    assert line is not None
    payment_record(actor=actor, allocation=line, paid_on=timezone.localdate(), method="bank")
    distribution_result_publish(actor=actor, plan=plan)
    assert DistributionPlan.objects.get(pk=plan.pk).result_published_at is not None
    item = DisclosureItem.objects.get()
    assert item.section == DisclosureSection.FINANCES and item.period_start == date(YEAR, 1, 1)
    assert "1 members were paid ¥450.00; 1 members, ¥450.00, are not paid yet" in item.body
    with pytest.raises(ValidationError, match="already published"):
        distribution_result_publish(actor=actor, plan=plan)
    assert DisclosureItem.objects.count() == 1


def test_refused_before_payment_started(village: Village, actor: User) -> None:
    plan = publish(make_plan(village, actor))
    with pytest.raises(ValidationError, match="no result to publish yet"):
        distribution_result_publish(actor=actor, plan=plan)
    assert not DisclosureItem.objects.exists()


def test_refused_clearly_to_a_manager_who_does_not_publish(village: Village, actor: User) -> None:
    plan = _paying(village, actor)
    head = user_of(collective_head(village))
    with pytest.raises(ValidationError, match="ask one of them"):
        distribution_result_publish(actor=head, plan=plan)
    assert DistributionPlan.objects.get(pk=plan.pk).result_published_at is None


def test_the_accountant_publishes_it(village: Village, actor: User) -> None:
    plan = _paying(village, actor)
    distribution_result_publish(actor=user_of(accountant(village)), plan=plan)
    assert DisclosureItem.objects.count() == 1


def _url(plan: DistributionPlan) -> str:
    return reverse("distribution_result_publish", args=[plan.village.admin_code, plan.pk])


def test_page_publishes_and_refuses_with_400(village: Village, actor: User, official_client: Client) -> None:
    draft = make_plan(village, actor)
    assert official_client.post(_url(draft)).status_code == 400
    plan = _paying(village, actor)
    assert official_client.post(_url(plan)).status_code == 302
    assert DisclosureItem.objects.count() == 1


def test_page_permissions(
    village: Village, actor: User, official_client: Client, resident_client: Client, outsider_client: Client
) -> None:
    plan = _paying(village, actor)
    assert official_client.get(_url(plan)).status_code == 405
    assert resident_client.post(_url(plan)).status_code == 403
    assert outsider_client.post(_url(plan)).status_code == 404
    assert Client().post(_url(plan)).status_code == 302
    assert not DisclosureItem.objects.exists()
