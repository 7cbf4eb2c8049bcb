"""The chart as a tree with balances at a date."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from assets.selectors.ledger import balances_on
from assets.tests.ledger_testing import make_keeper, make_voucher
from villagegov.models import Person, Village
from villagegov.testing import client_for


def test_balances_roll_sub_accounts_into_parents_on_the_normal_side(village: Village) -> None:
    make_voucher(village, [("10201", "500", 0), ("50101", 0, "500")], day=date(2024, 1, 10))
    make_voucher(village, [("10202", "200", 0), ("503", 0, "200")], day=date(2024, 2, 10))
    make_voucher(village, [("513", "50", 0), ("10201", 0, "50")], day=date(2024, 3, 10), posted=False)
    figures = {figure.account.code: figure for figure in balances_on(village, day=date(2024, 1, 31))}
    assert figures["102"].balance == Decimal("500.00") and figures["501"].balance == Decimal("500.00")
    assert figures["10201"].depth == 1 and figures["102"].depth == 0
    later = {figure.account.code: figure.balance for figure in balances_on(village, day=date(2024, 12, 31))}
    assert later["102"] == Decimal("700.00") and later["10202"] == Decimal("200.00")
    assert later["513"] == 0  # the draft does not count


def test_the_page(village: Village) -> None:
    make_voucher(village, [("101", "88.80", 0), ("501", 0, "88.80")], day=date(2024, 5, 1))
    client = client_for(make_keeper(village))
    url = reverse("account_list", args=[village.admin_code])
    assert "¥88.80" in client.get(url).text
    assert "¥88.80" not in client.get(url, {"day": "2024-04-30"}).text
    assert 'name="code_suffix"' in client.get(url).text


def test_permissions(village: Village, resident: Person, outsider: Person) -> None:
    url = reverse("account_list", args=[village.admin_code])
    assert client_for(resident).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
