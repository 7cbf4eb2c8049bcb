"""A villager's own shares: their memberships, share history, and their allocations in published
distribution plans with the payment state; a non-member is told plainly."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assets.models import Allocation, DistributionPlan, Membership, Payment
from assets.tests.members_testing import change_shares, make_member
from villagegov.models import Person, User, Village
from villagegov.testing import client_for, make_person

pytestmark = pytest.mark.usefixtures("english")


def _url(village: Village) -> str:
    return reverse("my_shares", args=[village.admin_code])


def _plan(village: Village, user: User, *, title: str, published: bool) -> DistributionPlan:
    return DistributionPlan.objects.create(
        village=village,
        year=2024,
        title=title,
        record_date=date(2024, 12, 31),
        income=Decimal(1000),
        losses_made_up=Decimal(0),
        reserve_rate=Decimal(10),
        reserve=Decimal(100),
        distributable=Decimal(900),
        total_shares=Decimal(10),
        digest="a" * 64 if published else "",
        published_at=timezone.now() if published else None,
        created_by=user,
        created_at=timezone.now(),
    )


def test_a_member_sees_their_shares_history_and_published_allocations(
    village: Village, resident: Person
) -> None:
    membership = make_member(village, resident, shares=2, number=17)
    change_shares(membership, 3, effective_on=date(2023, 1, 1), reason="增配")
    assert resident.user is not None
    published = _plan(village, resident.user, title="2024年度收益分配方案", published=True)
    draft = _plan(village, resident.user, title="草稿方案", published=False)
    paid = Allocation.objects.create(
        plan=published, membership=membership, shares=3, amount=Decimal("270.00")
    )
    Allocation.objects.create(plan=draft, membership=membership, shares=3, amount=Decimal("999.00"))
    Payment.objects.create(
        allocation=paid,
        amount=Decimal("270.00"),
        paid_on=date(2025, 2, 1),
        method="bank",
        recorded_by=resident.user,
        recorded_at=timezone.now(),
    )
    other = make_member(village, make_person(village, name="别人"), shares=5)
    Allocation.objects.create(plan=published, membership=other, shares=5, amount=Decimal("450.00"))
    text = client_for(resident).get(_url(village)).content.decode()
    assert "Member no. 17" in text and "增配" in text and "3.00" in text
    assert "2024年度收益分配方案" in text and "¥270.00" in text and "paid" in text
    assert "草稿方案" not in text and "999" not in text
    assert "450" not in text and "别人" not in text


def test_an_allocation_of_a_withdrawn_plan_says_it_will_not_be_paid(
    village: Village, resident: Person
) -> None:
    membership = make_member(village, resident, shares=3)
    assert resident.user is not None
    withdrawn = _plan(village, resident.user, title="撤回的方案", published=True)
    withdrawn.withdrawn_at = timezone.now()
    withdrawn.save(update_fields=["withdrawn_at"])
    Allocation.objects.create(plan=withdrawn, membership=membership, shares=3, amount=Decimal("270.00"))
    text = client_for(resident).get(_url(village)).content.decode()
    assert "撤回的方案" in text and "plan withdrawn: nothing will be paid" in text
    assert "<del>¥270.00</del>" in text
    assert "awaiting the members' approval" not in text and "to be paid" not in text


def test_a_non_member_is_told_plainly(village: Village, resident_client: Client) -> None:
    response = resident_client.get(_url(village))
    assert response.status_code == 200
    assert "You are not recorded as a member" in response.content.decode()


def test_a_former_member_sees_the_membership_as_former(village: Village, resident: Person) -> None:
    make_member(village, resident, left_on=date(2024, 1, 1))
    text = client_for(resident).get(_url(village)).content.decode()
    assert "former member" in text


def test_only_villagers_of_this_village(village: Village, resident: Person, outsider_client: Client) -> None:
    make_member(village, resident)
    assert outsider_client.get(_url(village)).status_code == 404
    assert Client().get(_url(village)).status_code == 302
    assert Membership.objects.count() == 1
