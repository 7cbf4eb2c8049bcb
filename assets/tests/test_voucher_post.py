"""Posting a voucher: after the committee's review (when the village asks for it), numbered
without gaps in its year."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assets.models import Collective, DistributionPlan, Voucher, VoucherState
from assets.selectors.ledger import year_result
from assets.services.ledger import voucher_post
from assets.tests.distributions_testing import YEAR, collective_head, make_plan, publish, user_of
from assets.tests.ledger_testing import conclude_review, keeper_user, make_keeper, make_voucher
from supervision.models import Review, ReviewState
from supervision.tests.reviews_testing import make_review
from villagegov.models import Person, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


def test_posting_waits_for_the_concluded_review(village: Village) -> None:
    voucher = make_voucher(village, state=VoucherState.SUBMITTED)
    actor = keeper_user(village)
    with pytest.raises(ValidationError, match="not concluded"):
        voucher_post(actor=actor, voucher=voucher)
    make_review(village, "voucher", state=ReviewState.OPEN, subject=voucher)
    with pytest.raises(ValidationError, match="not concluded"):
        voucher_post(actor=actor, voucher=voucher)
    conclude_review(voucher)
    voucher_post(actor=actor, voucher=voucher)
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.POSTED and voucher.number == 1
    assert voucher.posted_by == actor and voucher.posted_at is not None


def test_a_draft_is_not_posted_while_the_village_asks_for_review(village: Village) -> None:
    voucher = make_voucher(village, posted=False)
    with pytest.raises(ValidationError, match="review first"):
        voucher_post(actor=keeper_user(village), voucher=voucher)


def test_without_review_a_draft_posts_directly(village: Village) -> None:
    Collective.objects.filter(village=village).update(vouchers_need_review=False)
    voucher = make_voucher(village, posted=False)
    voucher_post(actor=keeper_user(village), voucher=voucher)
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.POSTED


def test_numbers_follow_each_other_in_each_year(village: Village, other_village: Village) -> None:
    make_voucher(village, day=date(2024, 1, 5))
    make_voucher(village, day=date(2023, 12, 5))
    make_voucher(other_village, day=date(2024, 1, 5))
    actor = keeper_user(village)
    numbers = []
    for day in (date(2024, 2, 1), date(2023, 12, 30), date(2024, 2, 2)):
        voucher = make_voucher(village, day=day, state=VoucherState.SUBMITTED)
        conclude_review(voucher)
        numbers.append(voucher_post(actor=actor, voucher=voucher).number)
    assert numbers == [2, 2, 3]


def test_a_posted_voucher_is_not_posted_again(village: Village) -> None:
    voucher = make_voucher(village)
    with pytest.raises(ValidationError, match="posted already"):
        voucher_post(actor=keeper_user(village), voucher=voucher)


def _url(voucher: Voucher) -> str:
    return reverse("voucher_post", args=[voucher.village.admin_code, voucher.pk])


def test_the_button(village: Village) -> None:
    voucher = make_voucher(village, state=VoucherState.SUBMITTED)
    client = client_for(make_keeper(village))
    assert client.get(_url(voucher)).status_code == 405
    refused = client.post(_url(voucher))
    assert refused.status_code == 400 and "not concluded" in refused.text
    conclude_review(voucher)
    assert client.post(_url(voucher)).status_code == 302
    voucher.refresh_from_db()
    assert voucher.number == 1


def test_permissions(village: Village, resident: Person, outsider: Person) -> None:
    voucher = make_voucher(village, state=VoucherState.SUBMITTED)
    conclude_review(voucher)
    assert client_for(resident).post(_url(voucher)).status_code == 403
    assert client_for(outsider).post(_url(voucher)).status_code == 404
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.SUBMITTED


def test_a_review_opened_before_the_voucher_was_sent_does_not_let_it_post(village: Village) -> None:
    voucher = make_voucher(village, state=VoucherState.SUBMITTED)
    early = make_review(village, "voucher", state=ReviewState.CONCLUDED, subject=voucher)
    assert voucher.submitted_at is not None
    Review.objects.filter(pk=early.pk).update(opened_at=voucher.submitted_at - timedelta(seconds=1))
    actor = keeper_user(village)
    with pytest.raises(ValidationError, match="not concluded"):
        voucher_post(actor=actor, voucher=voucher)
    assert Voucher.objects.get(pk=voucher.pk).state == VoucherState.SUBMITTED
    conclude_review(voucher)
    assert voucher_post(actor=actor, voucher=voucher).state == VoucherState.POSTED


def _published_plan(village: Village) -> DistributionPlan:
    return publish(make_plan(village, user_of(collective_head(village))))


def test_no_income_or_expense_is_posted_in_a_year_whose_plan_is_published(village: Village) -> None:
    plan = _published_plan(village)
    before = year_result(village, YEAR)
    voucher = make_voucher(
        village, (("101", 500, 0), ("501", 0, 500)), day=date(YEAR, 12, 20), state=VoucherState.SUBMITTED
    )
    conclude_review(voucher)
    actor = keeper_user(village)
    with pytest.raises(ValidationError, match=r"plan of .* is published.*no longer match the books"):
        voucher_post(actor=actor, voucher=voucher)
    assert Voucher.objects.get(pk=voucher.pk).state == VoucherState.SUBMITTED
    assert year_result(village, YEAR) == before == plan.income
    # The year-end closing and the distribution's entries do not change the year's income: they post.
    closing = make_voucher(
        village,
        (("501", before, 0), ("321", 0, before)),
        day=date(YEAR, 12, 31),
        state=VoucherState.SUBMITTED,
    )
    conclude_review(closing)
    assert voucher_post(actor=actor, voucher=closing).state == VoucherState.POSTED
    # Another year, or the plan withdrawn: the voucher posts.
    other_year = make_voucher(
        village, (("101", 5, 0), ("501", 0, 5)), day=date(YEAR + 1, 1, 2), state=VoucherState.SUBMITTED
    )
    conclude_review(other_year)
    assert voucher_post(actor=actor, voucher=other_year).state == VoucherState.POSTED
    DistributionPlan.objects.filter(pk=plan.pk).update(withdrawn_at=timezone.now())
    assert voucher_post(actor=actor, voucher=voucher).state == VoucherState.POSTED


def test_a_draft_plan_does_not_stop_posting(village: Village) -> None:
    make_plan(village, user_of(collective_head(village)))
    voucher = make_voucher(
        village, (("101", 500, 0), ("501", 0, 500)), day=date(YEAR, 12, 20), state=VoucherState.SUBMITTED
    )
    conclude_review(voucher)
    assert voucher_post(actor=keeper_user(village), voucher=voucher).state == VoucherState.POSTED
