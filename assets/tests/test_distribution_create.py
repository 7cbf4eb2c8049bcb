"""Drafting a distribution plan (distribution_draft and the distribution_create page): the year's
income from the posted books, losses made up, the reserve, the rest by shares on the record date."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assets.models import Allocation, Collective, DistributionPlan
from assets.services.distributions import distribution_draft, reserve_for
from assets.tests.distributions_testing import (
    RECORD_DATE,
    YEAR,
    collective_head,
    make_plan,
    members_with,
    post_income,
)
from assets.tests.ledger_testing import make_voucher
from assets.tests.members_testing import change_shares, make_member
from villagegov.models import AuditRecord, Person, User, Village

pytestmark = pytest.mark.usefixtures("english")


def _draft(
    actor: User, village: Village, *, rate: Decimal | None = None, **fields: object
) -> DistributionPlan:
    """A draft through the service; with `rate`, the charter's rate set to it first."""
    if rate is not None:
        Collective.objects.filter(village=village).update(reserve_rate=rate)
    values: dict[str, object] = {
        "year": YEAR,
        "title": "收益分配方案",
        "record_date": RECORD_DATE,
        "losses_made_up": Decimal("0.00"),
    }
    values.update(fields)
    return distribution_draft(actor=actor, village=village, **values)  # type: ignore[arg-type]


def test_the_figures_and_the_table(village: Village, actor: User) -> None:
    post_income(village, "10000.00")
    make_voucher(village, (("511", "1000.00", 0), ("102", 0, "1000.00")), day=date(YEAR, 6, 1))
    # A draft voucher and another year's income do not count.
    make_voucher(village, (("102", 500, 0), ("501", 0, 500)), posted=False, day=date(YEAR, 7, 1))
    make_voucher(village, (("102", 700, 0), ("501", 0, 700)), day=date(YEAR - 1, 7, 1))
    first, second, third = members_with(village, ["1", "1", "1"])
    plan = _draft(actor, village, losses_made_up=Decimal("1000.00"), rate=Decimal("15"))
    assert plan.income == Decimal("9000.00")
    assert plan.reserve == Decimal("1200.00")  # (9000 - 1000) × 15%, the charter's rate
    assert plan.reserve_rate == Decimal("15.00")
    assert plan.distributable == Decimal("6800.00")
    assert plan.total_shares == Decimal("3.00")
    lines = {line.membership_id: line.amount for line in Allocation.objects.filter(plan=plan)}
    # 6800 / 3 = 2266.666…: the leftover fen to the lowest member numbers.
    assert lines == {
        first.pk: Decimal("2266.67"),
        second.pk: Decimal("2266.67"),
        third.pk: Decimal("2266.66"),
    }
    assert sum(lines.values()) == plan.distributable
    assert plan.published_at is None and plan.digest == ""
    assert AuditRecord.objects.filter(action="distribution.draft").count() == 1


def test_shares_are_those_of_the_record_date(village: Village, actor: User) -> None:
    post_income(village, "100.00")
    early, changed = members_with(village, ["1", "1"])
    change_shares(changed, "3", effective_on=RECORD_DATE + timedelta(days=1))
    make_member(village, shares="5", joined_on=RECORD_DATE + timedelta(days=1))  # joined after
    make_member(village, shares="5", left_on=RECORD_DATE)  # left on the day
    plan = _draft(actor, village, rate=Decimal("0"))
    lines = {line.membership_id: (line.shares, line.amount) for line in Allocation.objects.filter(plan=plan)}
    assert lines == {
        early.pk: (Decimal("1.00"), Decimal("50.00")),
        changed.pk: (Decimal("1.00"), Decimal("50.00")),
    }


def test_reserve_rounds_half_up_and_is_nothing_without_income_over_losses() -> None:
    assert reserve_for(Decimal("0.05"), Decimal("0"), Decimal("10")) == Decimal("0.01")  # 0.005 → 0.01
    assert reserve_for(Decimal("0.04"), Decimal("0"), Decimal("10")) == Decimal("0.00")
    assert reserve_for(Decimal("100"), Decimal("100"), Decimal("10")) == Decimal("0.00")
    assert reserve_for(Decimal("-5"), Decimal("0"), Decimal("10")) == Decimal("0.00")


def test_refused_when_the_income_does_not_cover_the_losses(village: Village, actor: User) -> None:
    post_income(village, "500.00")
    members_with(village, ["1"])
    with pytest.raises(ValidationError, match=r"does not cover the losses.*¥500\.00.*¥600\.00"):
        _draft(actor, village, losses_made_up=Decimal("600.00"))
    assert not DistributionPlan.objects.exists()


def test_a_loss_making_year_is_refused(village: Village, actor: User) -> None:
    collective_install_and_loss(village)
    members_with(village, ["1"])
    with pytest.raises(ValidationError, match="does not cover"):
        _draft(actor, village)


def collective_install_and_loss(village: Village) -> None:
    post_income(village, "100.00")
    make_voucher(village, (("511", "300.00", 0), ("102", 0, "300.00")), day=date(YEAR, 5, 1))


def test_refused_with_no_members(village: Village, actor: User) -> None:
    post_income(village, "100.00")
    with pytest.raises(ValidationError, match="No member holds shares"):
        _draft(actor, village)
    assert not DistributionPlan.objects.exists()


def test_refused_bad_year_rate_losses_date_and_title(village: Village, actor: User) -> None:
    post_income(village, "100.00")
    members_with(village, ["1"])
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="financial year"):
        _draft(actor, village, year=today.year + 1)
    with pytest.raises(ValidationError, match="losses made up"):
        _draft(actor, village, losses_made_up=Decimal("-1"))
    with pytest.raises(ValidationError, match="after today"):
        _draft(actor, village, record_date=today + timedelta(days=1))
    with pytest.raises(ValidationError, match="fall in the year"):
        _draft(actor, village, record_date=date(YEAR - 1, 12, 31))
    with pytest.raises(ValidationError, match="title"):
        _draft(actor, village, title="  ")
    assert not DistributionPlan.objects.exists()


def test_the_rate_is_the_charters_and_not_a_choice_of_the_draft(village: Village, actor: User) -> None:
    post_income(village, "1000.00")
    members_with(village, ["1"])
    with pytest.raises(TypeError):
        _draft(actor, village, reserve_rate=Decimal("50"))
    first = _draft(actor, village, rate=Decimal("20"))
    # The members decide a new rate: the next draft takes it, the earlier one keeps its own.
    second = _draft(actor, village, rate=Decimal("5"))
    first.refresh_from_db()
    assert (first.reserve_rate, first.reserve) == (Decimal("20.00"), Decimal("200.00"))
    assert (second.reserve_rate, second.reserve) == (Decimal("5.00"), Decimal("50.00"))


def test_refused_without_a_collective(village: Village, actor: User) -> None:
    members_with(village, ["1"])
    Collective.objects.filter(village=village).delete()
    with pytest.raises(ValidationError, match="Set up the collective"):
        _draft(actor, village)
    assert not DistributionPlan.objects.exists()


def test_refused_to_those_who_do_not_manage_distributions(village: Village, resident: Person) -> None:
    post_income(village, "100.00")
    members_with(village, ["1"])
    assert resident.user is not None
    with pytest.raises(ValidationError, match="manage distributions"):
        _draft(resident.user, village)
    assert not DistributionPlan.objects.exists()


def test_several_drafts_of_a_year_may_exist(village: Village, actor: User) -> None:
    make_plan(village, actor)
    make_plan(village, actor, income=None, shares=None)
    assert DistributionPlan.objects.filter(year=YEAR).count() == 2


def test_the_head_of_the_collective_drafts(village: Village) -> None:
    head = collective_head(village)
    assert head.user is not None
    assert make_plan(village, head.user).created_by == head.user


# --- The page ------------------------------------------------------------------------------------


def _url(village: Village) -> str:
    return reverse("distribution_create", args=[village.admin_code])


def _data(**fields: str) -> dict[str, str]:
    data = {
        "title": "2025年度收益分配方案",
        "year": str(YEAR),
        "record_date": RECORD_DATE.isoformat(),
        "losses_made_up": "0",
    }
    data.update(fields)
    return data


def test_page_names_the_charters_rate_and_drafts_with_it(
    village: Village, official_client: Client, actor: User
) -> None:
    post_income(village, "300.00")
    members_with(village, ["1", "2"])
    Collective.objects.filter(village=village).update(reserve_rate=Decimal("12.50"))
    page = official_client.get(_url(village))
    assert page.status_code == 200
    content = page.content.decode()
    assert "charter's rate: 12.50%" in content and 'name="reserve_rate"' not in content
    assert reverse("collective_settings", args=[village.admin_code]) in content
    # A rate posted with the form is not the charter's: it is ignored.
    response = official_client.post(_url(village), _data(reserve_rate="50"))
    plan = DistributionPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("distribution_detail", args=[village.admin_code, plan.pk])
    assert (plan.reserve_rate, plan.reserve, plan.distributable) == (
        Decimal("12.50"),
        Decimal("37.50"),
        Decimal("262.50"),
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"year": "nonsense"},
        {"losses_made_up": "-5"},
        {"losses_made_up": "1.234"},
        {"record_date": "2025-02-30"},
        {"title": ""},
        {"losses_made_up": "99999999"},  # more than the income
    ],
)
def test_page_refuses_bad_input_with_400(
    village: Village, official_client: Client, fields: dict[str, str]
) -> None:
    post_income(village, "300.00")
    members_with(village, ["1"])
    response = official_client.post(_url(village), _data(**fields))
    assert response.status_code == 400
    assert not DistributionPlan.objects.exists()


def test_page_permissions(village: Village, resident_client: Client, outsider_client: Client) -> None:
    post_income(village, "300.00")
    members_with(village, ["1"])
    assert resident_client.get(_url(village)).status_code == 403
    assert resident_client.post(_url(village), _data()).status_code == 403
    assert outsider_client.post(_url(village), _data()).status_code == 404
    assert Client().post(_url(village), _data()).status_code == 302
    assert not DistributionPlan.objects.exists()
