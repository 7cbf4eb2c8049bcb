from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assets.models import VoucherState
from assets.selectors.dashboard import collective_overview
from assets.tests.ledger_testing import make_voucher
from assets.tests.members_testing import make_member
from assets.tests.register_testing import make_asset, make_contract, make_receipt
from villagegov.models import Person, Role, Village
from villagegov.testing import client_for, make_person


def url(village: Village) -> str:
    return reverse("collective_dashboard", args=[village.admin_code])


def _books(village: Village, size: int) -> None:
    today = timezone.localdate()
    for index in range(size):
        make_member(village, shares="1.50")
        land = make_asset(village, "land", acquisition_value="1000.00")
        make_asset(village, "building", acquisition_value="500.00")
        make_contract(
            land,
            starts_on=today - timedelta(days=400),
            ends_on=today + timedelta(days=30 + index),
            dues=[(today - timedelta(days=10), "300.00")],
        )
        make_voucher(village, (("102", 200, 0), ("501", 0, 200)), day=today.replace(day=1))
    make_voucher(
        village, (("513", 50, 0), ("101", 0, 50)), posted=False, state=VoucherState.SUBMITTED, day=today
    )


def test_the_overview_adds_up(village: Village) -> None:
    _books(village, 2)
    contract = make_contract(
        make_asset(village, "land"), dues=[(timezone.localdate() - timedelta(days=3), "80.00")]
    )
    make_receipt(contract, "30.00", timezone.localdate() - timedelta(days=1))
    overview = collective_overview(village, on=timezone.localdate())
    assert (overview.members.members, overview.members.shares) == (2, Decimal("3.00"))
    assert overview.register.total.count == 5
    assert overview.arrears_total == Decimal("650.00")  # 2 × 300 unpaid + 50 left of 80
    assert [line.arrears for line in overview.arrears] == [
        Decimal("300.00"),
        Decimal("300.00"),
        Decimal("50.00"),
    ]
    assert len(overview.expiring) == 3  # the two above and the last one
    assert overview.vouchers_awaiting_review == 1
    assert overview.result_so_far == Decimal("400.00")
    assert dict(overview.cash)["102 银行存款"] == Decimal("400.00")


def test_the_page_shows_the_figures_to_those_who_keep_or_check_the_books(
    village: Village, official: Person, english: Any
) -> None:
    _books(village, 1)
    for role in (Role.ACCOUNTANT, Role.COLLECTIVE_HEAD, Role.TOWNSHIP_STAFF):
        response = client_for(make_person(village, roles=(role,), with_account=True)).get(url(village))
        assert response.status_code == 200
    response = client_for(official).get(url(village))
    text = response.content.decode()
    assert "¥300.00" in text and "rent in arrears" in text
    assert "<svg" in text  # the composition chart


@pytest.mark.parametrize("size", [1, 6])
def test_queries_do_not_grow_with_the_village(
    village: Village, official: Person, size: int, django_assert_max_num_queries: Any
) -> None:
    _books(village, size)
    client = client_for(official)
    with django_assert_max_num_queries(30):
        assert client.get(url(village)).status_code == 200


def test_residents_and_other_villages_see_nothing(
    village: Village, resident_client: Client, outsider: Person, client: Client
) -> None:
    _books(village, 1)
    assert resident_client.get(url(village)).status_code == 403
    assert client_for(outsider).get(url(village)).status_code == 404
    response = client.get(url(village))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_an_empty_collective_says_what_to_do(official_client: Client, village: Village, english: Any) -> None:
    text = official_client.get(url(village)).content.decode()
    assert "No distribution plan yet" in text
