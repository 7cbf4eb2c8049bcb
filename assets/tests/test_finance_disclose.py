"""Publishing the period's finances on the disclosure board."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assets.selectors.ledger import finance_summary
from assets.services.ledger import finance_disclose
from assets.tests.ledger_testing import keeper_user, make_keeper, make_voucher
from supervision.models import DisclosureItem, DisclosureSection
from villagegov.models import Person, Role, Village
from villagegov.testing import client_for, make_person


def _books(village: Village) -> None:
    make_voucher(village, [("101", "1000", 0), ("301", 0, "1000")], day=date(2023, 12, 1))
    make_voucher(village, [("10201", "600", 0), ("50101", 0, "600")], day=date(2024, 1, 10))
    make_voucher(village, [("514", "150.50", 0), ("101", 0, "150.50")], day=date(2024, 2, 10))
    make_voucher(village, [("513", "40", 0), ("101", 0, "40")], day=date(2024, 4, 10))  # after


def test_the_item_names_income_expenditure_and_cash(village: Village) -> None:
    _books(village)
    item = finance_disclose(
        actor=keeper_user(village),
        village=village,
        period_start=date(2024, 1, 1),
        period_end=date(2024, 3, 31),
    )
    assert item.section == DisclosureSection.FINANCES
    assert (item.period_start, item.period_end) == (date(2024, 1, 1), date(2024, 3, 31))
    assert "经营收入" in item.body and "¥600.00" in item.body
    assert "公益支出" in item.body and "¥150.50" in item.body
    assert "库存现金" in item.body and "¥849.50" in item.body  # cash at the period's end
    assert "银行存款" in item.body and "管理费用" not in item.body


def test_the_year_end_closing_does_not_empty_the_years_income(village: Village) -> None:
    _books(village)
    make_voucher(village, [("50101", "600", 0), ("32101", 0, "600")], day=date(2024, 3, 31))
    make_voucher(village, [("32101", "150.50", 0), ("514", 0, "150.50")], day=date(2024, 3, 31))
    summary = finance_summary(village, start=date(2024, 1, 1), end=date(2024, 3, 31))
    assert (summary.income_total, summary.expense_total) == (Decimal("600.00"), Decimal("150.50"))


def test_a_reversed_period_is_refused(village: Village) -> None:
    with pytest.raises(ValidationError):
        finance_disclose(
            actor=keeper_user(village),
            village=village,
            period_start=date(2024, 3, 1),
            period_end=date(2024, 1, 1),
        )
    assert not DisclosureItem.objects.exists()


def _url(village: Village) -> str:
    return reverse("finance_disclose", args=[village.admin_code])


def test_the_form(village: Village) -> None:
    _books(village)
    client = client_for(make_keeper(village))
    assert client.get(_url(village)).status_code == 200
    response = client.post(_url(village), {"period_start": "2024-01-01", "period_end": "2024-03-31"})
    item = DisclosureItem.objects.get(village=village)
    assert response.status_code == 302 and response["Location"].endswith(f"/{item.pk}/")


def test_the_head_of_the_collective_keeps_books_but_does_not_publish(village: Village) -> None:
    head = make_person(village, roles=(Role.COLLECTIVE_HEAD,), with_account=True)
    response = client_for(head).post(
        _url(village), {"period_start": "2024-01-01", "period_end": "2024-03-31"}
    )
    assert response.status_code == 400 and not DisclosureItem.objects.exists()


def test_permissions(village: Village, resident: Person, outsider: Person) -> None:
    data = {"period_start": "2024-01-01", "period_end": "2024-03-31"}
    assert client_for(resident).post(_url(village), data).status_code == 403
    assert client_for(outsider).post(_url(village), data).status_code == 404
    assert not DisclosureItem.objects.exists()
