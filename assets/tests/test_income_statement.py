"""收支明细: income and expenditure month by month by first-level account, and the year's result."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from assets.selectors.ledger import income_statement, year_result
from assets.tests.ledger_testing import make_keeper, make_voucher
from villagegov.models import Person, Village
from villagegov.testing import client_for


def _books(village: Village) -> None:
    make_voucher(village, [("101", "1000", 0), ("50101", 0, "1000")], day=date(2024, 1, 15))
    make_voucher(village, [("101", "250.50", 0), ("503", 0, "250.50")], day=date(2024, 3, 2))
    make_voucher(village, [("51301", "300.25", 0), ("101", 0, "300.25")], day=date(2024, 3, 20))
    make_voucher(village, [("50101", "100", 0), ("101", 0, "100")], day=date(2024, 3, 25))  # a refund
    make_voucher(village, [("514", "99", 0), ("101", 0, "99")], day=date(2023, 12, 31))  # another year
    make_voucher(village, [("514", "77", 0), ("101", 0, "77")], day=date(2024, 5, 1), posted=False)


def test_month_by_month(village: Village) -> None:
    _books(village)
    statement = income_statement(village, 2024)
    income = {row.code: row for row in statement.income}
    expense = {row.code: row for row in statement.expense}
    assert income["501"].months[0] == Decimal("1000.00") and income["501"].months[2] == Decimal("-100.00")
    assert income["503"].months[2] == Decimal("250.50")
    assert expense["513"].months[2] == Decimal("300.25") and expense["514"].total == 0
    assert statement.income_total == Decimal("1150.50") and statement.expense_total == Decimal("300.25")
    assert statement.result == Decimal("850.25") == year_result(village, 2024)
    assert statement.month_rows[2] == (3, Decimal("150.50"), Decimal("300.25"), Decimal("-149.75"))


def test_closing_the_year_to_its_income_leaves_the_result_as_it_was(village: Village) -> None:
    """结转本年收益 (Dr income / Cr 321, Dr 321 / Cr expenses) empties the income and expense
    accounts; the year's result and the statement still show the year's income and expenditure."""
    _books(village)
    before = income_statement(village, 2024)
    make_voucher(
        village,
        [("50101", "900", 0), ("503", "250.50", 0), ("32101", 0, "1150.50")],
        day=date(2024, 12, 31),
        summary="结转本年收入",
    )
    make_voucher(
        village,
        [("32101", "300.25", 0), ("51301", 0, "300.25")],
        day=date(2024, 12, 31),
        summary="结转本年支出",
    )
    after = income_statement(village, 2024)
    assert year_result(village, 2024) == Decimal("850.25") == after.result
    assert after.month_rows == before.month_rows
    assert (after.income_total, after.expense_total) == (Decimal("1150.50"), Decimal("300.25"))


def test_the_page_with_its_chart(village: Village) -> None:
    _books(village)
    page = client_for(make_keeper(village)).get(
        reverse("income_statement", args=[village.admin_code]), {"year": 2024}
    )
    assert page.status_code == 200 and "¥850.25" in page.text and "<svg" in page.text
    assert "chart-bar--income" in page.text and "chart-bar--expense" in page.text


def test_permissions(village: Village, resident: Person, outsider: Person) -> None:
    url = reverse("income_statement", args=[village.admin_code])
    assert client_for(resident).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
