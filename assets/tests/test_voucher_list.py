"""The list of vouchers: filters, badges, the count awaiting review, bounded queries."""

from datetime import date

import pytest
from django.urls import reverse

from assets.models import Account, VoucherState
from assets.selectors.ledger import VoucherFilters, vouchers
from assets.tests.ledger_testing import make_account, make_keeper, make_voucher
from villagegov.models import Person, Village
from villagegov.testing import client_for


def test_filters(village: Village, other_village: Village) -> None:
    rent = make_voucher(
        village, [("101", 10, 0), ("50101", 0, 10)], day=date(2024, 3, 1), summary="收到厂房租金"
    )
    fee = make_voucher(
        village, [("513", 20, 0), ("101", 0, 20)], day=date(2024, 4, 1), summary="办公用品", posted=False
    )
    bank = make_voucher(
        village,
        [("10201", 30, 0), ("503", 0, 30)],
        day=date(2024, 4, 9),
        summary="上级补助",
        state=VoucherState.SUBMITTED,
    )
    make_voucher(other_village, summary="收到厂房租金")
    assert list(vouchers(village)) == [bank, fee, rent]
    assert list(vouchers(village, VoucherFilters(state=VoucherState.DRAFT))) == [fee]
    assert list(vouchers(village, VoucherFilters(month=date(2024, 4, 1)))) == [bank, fee]
    cash = Account.objects.get(village=village, code="101")
    assert list(vouchers(village, VoucherFilters(account=cash))) == [fee, rent]
    # A parent account finds its sub-accounts' vouchers.
    assert list(vouchers(village, VoucherFilters(account=make_account(village, "102")))) == [bank]
    assert list(vouchers(village, VoucherFilters(search="厂房"))) == [rent]
    assert list(vouchers(village, VoucherFilters(search=str(rent.number)))) == [rent]


def _url(village: Village) -> str:
    return reverse("voucher_list", args=[village.admin_code])


def test_the_page_shows_badges_filters_and_the_count_awaiting_review(village: Village) -> None:
    make_voucher(village, summary="已记账的凭证")
    make_voucher(village, summary="待审核的凭证", state=VoucherState.SUBMITTED)
    client = client_for(make_keeper(village))
    page = client.get(_url(village))
    assert page.status_code == 200 and "已记账的凭证" in page.text and "待审核的凭证" in page.text
    assert page.context["awaiting"] == 1 and "badge-warn" in page.text
    filtered = client.get(_url(village), {"state": "posted"})
    assert "已记账的凭证" in filtered.text and "待审核的凭证" not in filtered.text
    # A filter that cannot be read shows everything rather than failing.
    assert client.get(_url(village), {"month": "March"}).status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_queries_do_not_grow_with_the_vouchers(
    village: Village, count: int, django_assert_max_num_queries
) -> None:
    for index in range(count):
        make_voucher(village, summary=f"凭证{index}", posted=index % 2 == 0)
    client = client_for(make_keeper(village))
    with django_assert_max_num_queries(12):
        response = client.get(_url(village))
    assert response.status_code == 200 and len(response.context["page_obj"]) == min(count, 25)


def test_permissions(village: Village, resident: Person, outsider: Person) -> None:
    assert client_for(resident).get(_url(village)).status_code == 403
    assert client_for(outsider).get(_url(village)).status_code == 404
    anonymous = client_for(resident).__class__().get(_url(village))
    assert anonymous.status_code == 302


@pytest.mark.parametrize("search", ["²", "１２", "9" * 18, "9" * 40])
def test_a_search_that_only_looks_like_a_number_is_searched_as_text(village: Village, search: str) -> None:
    make_voucher(village, summary="收到厂房租金")
    assert list(vouchers(village, VoucherFilters(search=search))) == []
    response = client_for(make_keeper(village)).get(_url(village), {"search": search})
    assert response.status_code == 200 and "收到厂房租金" not in response.text
