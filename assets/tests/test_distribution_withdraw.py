"""Withdrawing a plan (distribution_withdraw): a draft or a published plan, never once payment started."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from assets.models import DistributionPlan
from assets.services.distributions import distribution_pay_start, distribution_withdraw
from assets.tests.distributions_testing import make_plan, publish, ready_to_pay
from villagegov.models import AuditRecord, Person, User, Village

pytestmark = pytest.mark.usefixtures("english")


def _withdrawn(plan: DistributionPlan) -> bool:
    return DistributionPlan.objects.get(pk=plan.pk).withdrawn_at is not None


def test_withdraws_a_draft_and_a_published_plan_once(village: Village, actor: User) -> None:
    draft = make_plan(village, actor)
    published = publish(make_plan(village, actor, income=None, shares=None))
    distribution_withdraw(actor=actor, plan=draft)
    distribution_withdraw(actor=actor, plan=published)
    assert _withdrawn(draft) and _withdrawn(published)
    assert AuditRecord.objects.filter(action="distribution.withdraw").count() == 2
    with pytest.raises(ValidationError, match="already withdrawn"):
        distribution_withdraw(actor=actor, plan=draft)


def test_refused_once_payment_started(village: Village, actor: User) -> None:
    plan = distribution_pay_start(actor=actor, plan=ready_to_pay(village, actor))
    with pytest.raises(ValidationError, match="can no longer be withdrawn"):
        distribution_withdraw(actor=actor, plan=plan)
    assert not _withdrawn(plan)


def test_refused_to_a_resident(village: Village, actor: User, resident: Person) -> None:
    plan = make_plan(village, actor)
    assert resident.user is not None
    with pytest.raises(ValidationError, match="manage distributions"):
        distribution_withdraw(actor=resident.user, plan=plan)
    assert not _withdrawn(plan)


def _url(plan: DistributionPlan) -> str:
    return reverse("distribution_withdraw", args=[plan.village.admin_code, plan.pk])


def test_page_withdraws_and_refuses_with_400(village: Village, actor: User, official_client: Client) -> None:
    plan = make_plan(village, actor)
    assert official_client.post(_url(plan)).status_code == 302
    assert _withdrawn(plan)
    response = official_client.post(_url(plan))
    assert response.status_code == 400
    assert "already withdrawn" in response.content.decode()


def test_page_permissions(
    village: Village, actor: User, official_client: Client, resident_client: Client, outsider_client: Client
) -> None:
    plan = make_plan(village, actor)
    assert official_client.get(_url(plan)).status_code == 405
    assert resident_client.post(_url(plan)).status_code == 403
    assert outsider_client.post(_url(plan)).status_code == 404
    assert Client().post(_url(plan)).status_code == 302
    assert not _withdrawn(plan)
