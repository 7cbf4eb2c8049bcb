"""An account's ledger (明细账): posted lines with the running balance, paginated."""

from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse

from assets.models import Account
from assets.selectors.ledger import LEDGER_PAGE_SIZE
from assets.tests.ledger_testing import make_keeper, make_voucher
from villagegov.models import Person, Village
from villagegov.testing import client_for


def _url(account: Account) -> str:
    return reverse("account_detail", args=[account.village.admin_code, account.pk])


def test_the_running_balance_carries_across_pages(village: Village) -> None:
    start = date(2024, 1, 1)
    for index in range(LEDGER_PAGE_SIZE + 3):
        make_voucher(village, [("101", "10.01", 0), ("501", 0, "10.01")], day=start + timedelta(days=index))
    make_voucher(village, [("101", 0, "5"), ("511", "5", 0)], day=date(2024, 12, 1))
    make_voucher(village, [("101", 0, "999"), ("511", "999", 0)], posted=False)
    cash = Account.objects.get(village=village, code="101")
    client = client_for(make_keeper(village))
    first = client.get(_url(cash))
    rows = first.context["rows"]
    assert len(rows) == LEDGER_PAGE_SIZE and rows[-1].balance == Decimal("10.01") * LEDGER_PAGE_SIZE
    last = client.get(_url(cash), {"page": 2}).context["rows"]
    assert [row.balance for row in last] == [Decimal("10.01") * (LEDGER_PAGE_SIZE + n) for n in (1, 2, 3)] + [
        Decimal("10.01") * (LEDGER_PAGE_SIZE + 3) - 5
    ]


def test_a_credit_account_runs_on_the_credit_side_and_includes_sub_accounts(village: Village) -> None:
    make_voucher(village, [("101", "30", 0), ("50101", 0, "30")])
    make_voucher(village, [("101", "20", 0), ("50102", 0, "20")])
    income = Account.objects.get(village=village, code="501")
    rows = client_for(make_keeper(village)).get(_url(income)).context["rows"]
    assert [row.balance for row in rows] == [Decimal("30.00"), Decimal("50.00")]


def test_permissions(village: Village, resident: Person, outsider: Person, other_village: Village) -> None:
    cash = Account.objects.get(village=village, code="101")
    assert client_for(resident).get(_url(cash)).status_code == 403
    assert client_for(outsider).get(_url(cash)).status_code == 404
    foreign = reverse("account_detail", args=[other_village.admin_code, cash.pk])
    assert client_for(outsider).get(foreign).status_code == 404
