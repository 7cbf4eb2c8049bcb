"""The demo village's collective: the share register, assets with leases (one in arrears), a year
and more of books reviewed and posted, and last year's distribution paid out and published."""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from assets.demo import PLAN_YEAR, demo_build
from assets.models import (
    Allocation,
    DistributionPlan,
    Membership,
    Payment,
    Voucher,
    VoucherKind,
    VoucherState,
)
from assets.selectors.contracts import contracts_in_arrears
from assets.selectors.distributions import payment_gates
from assets.selectors.ledger import trial_balance, year_result
from consultations.demo import demo_build as consultations_demo
from supervision.demo import demo_build as supervision_demo
from supervision.models import DisclosureItem
from supervision.selectors.reviews import subject_review_concluded
from villagegov.models import Role, RoleAssignment, Village
from villagegov.services.audit import audit_chain_verify
from villagegov.services.demo import demo_village_build


@pytest.fixture(scope="module")
def demo_village(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Village]:
    """One small demo village for the module (building it takes seconds), rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            village = demo_village_build(households=30).village
            consultations_demo(village=village)
            supervision_demo(village=village)
            demo_build(village=village)
        yield village
        transaction.set_rollback(True)


@pytest.fixture
def village(demo_village: Village, db: None) -> Village:
    return demo_village


def test_every_shareholder_of_the_roster_is_on_the_share_register(village: Village) -> None:
    terms = RoleAssignment.objects.filter(person__village=village, role=Role.COLLECTIVE_MEMBER)
    assert terms.count() == Membership.objects.filter(village=village).count() > 0
    assert not terms.filter(membership__isnull=True).exists()


def test_a_year_of_books_reviewed_and_posted(village: Village) -> None:
    posted = Voucher.objects.filter(village=village, state=VoucherState.POSTED)
    months = {day.month for day in posted.filter(year=PLAN_YEAR).values_list("date", flat=True)}
    assert months == set(range(1, 13))
    assert posted.filter(kind=VoucherKind.OPENING).count() == 1
    assert all(subject_review_concluded(voucher) for voucher in posted)
    # This month's last voucher waits for the committee.
    assert Voucher.objects.filter(village=village, state=VoucherState.SUBMITTED).count() == 1
    balance = trial_balance(village, start=date(PLAN_YEAR, 1, 1), end=timezone.localdate())
    assert balance.balanced
    assert year_result(village, PLAN_YEAR) > 0


def test_leases_with_one_in_arrears(village: Village) -> None:
    arrears = contracts_in_arrears(village, on=timezone.localdate())
    assert [line.contract.number for line in arrears] == ["ZL-2022-03"]
    assert arrears[0].arrears > 0


def test_last_years_distribution_was_paid_out_and_published(village: Village) -> None:
    plan = DistributionPlan.objects.get(village=village, year=PLAN_YEAR)
    assert all(gate.met for gate in payment_gates(plan))
    assert plan.result_published_at is not None
    total = Allocation.objects.filter(plan=plan).aggregate(total=Sum("amount"))["total"]
    assert total == plan.distributable > 0
    assert (
        Payment.objects.filter(allocation__plan=plan).count() == Allocation.objects.filter(plan=plan).count()
    )
    assert plan.reserve == (plan.income * plan.reserve_rate / 100).quantize(Decimal("0.01"))
    on_board = DisclosureItem.objects.filter(village=village, period_start=date(PLAN_YEAR, 1, 1))
    assert on_board.filter(title__contains=plan.title).count() == 1  # the plan, 12 days before the meeting
    assert on_board.filter(published_at__gt=plan.published_at).exists()  # then its result


def test_the_pages_render_for_the_accountant(village: Village) -> None:
    accountant = RoleAssignment.objects.get(person__village=village, role=Role.ACCOUNTANT).person
    assert accountant.user is not None
    client = Client()
    client.force_login(accountant.user)
    code = village.admin_code
    plan = DistributionPlan.objects.get(village=village, year=PLAN_YEAR)
    for url in (
        reverse("collective_dashboard", args=[code]),
        reverse("voucher_list", args=[code]),
        reverse("trial_balance", args=[code]),
        reverse("income_statement", args=[code]) + f"?year={PLAN_YEAR}",
        reverse("contract_list", args=[code]),
        reverse("asset_list", args=[code]),
        reverse("member_list", args=[code]),
        reverse("distribution_detail", args=[code, plan.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_building_again_changes_nothing_and_the_audit_chain_holds(village: Village) -> None:
    vouchers = Voucher.objects.count()
    demo_build(village=village)
    assert Voucher.objects.count() == vouchers
    assert audit_chain_verify().ok
