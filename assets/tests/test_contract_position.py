"""A contract's position (contract_position), and the village's contracts in arrears and expiring:
receipts applied in due order, arrears exact to the fen, nothing owed after a termination."""

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from assets.selectors.contracts import (
    CANCELLED,
    OVERDUE,
    PAID,
    PARTLY_PAID,
    UPCOMING,
    allocate,
    contract_position,
    contracts_expiring,
    contracts_in_arrears,
)
from assets.tests.register_testing import make_asset, make_contract, make_receipt
from villagegov.models import Village

DUES = [(date(2024, 1, 1), "1000.00"), (date(2024, 7, 1), "1000.00"), (date(2025, 1, 1), "1000.01")]


def _contract(village: Village, **kwargs):
    return make_contract(
        make_asset(village), dues=DUES, starts_on=date(2024, 1, 1), ends_on=date(2025, 6, 30), **kwargs
    )


def test_partial_payments_apply_in_due_order_and_arrears_are_exact(village: Village) -> None:
    contract = _contract(village)
    make_receipt(contract, "600.50", date(2024, 2, 1))
    make_receipt(contract, "700.00", date(2024, 8, 1))
    position = contract_position(contract, on=date(2024, 9, 1))
    assert [line.state for line in position.lines] == [PAID, OVERDUE, UPCOMING]
    assert [line.paid for line in position.lines] == [Decimal("1000.00"), Decimal("300.50"), Decimal("0.00")]
    assert position.due == Decimal("2000.00")
    assert position.received == Decimal("1300.50")
    assert position.arrears == Decimal("699.50")
    assert position.balance == Decimal("1699.51")


def test_a_receipt_after_the_day_does_not_count_and_due_today_is_not_yet_in_arrears(village: Village) -> None:
    contract = _contract(village)
    make_receipt(contract, "1000.00", date(2024, 7, 2))
    position = contract_position(contract, on=date(2024, 7, 1))
    assert position.received == 0
    assert position.due == Decimal("2000.00")
    assert position.arrears == Decimal("1000.00")  # the first; the second falls due today
    assert [line.state for line in position.lines] == [OVERDUE, UPCOMING, UPCOMING]


def test_a_partly_paid_instalment_not_yet_due(village: Village) -> None:
    contract = _contract(village)
    make_receipt(contract, "1500.00", date(2024, 1, 1))
    position = contract_position(contract, on=date(2024, 3, 1))
    assert [line.state for line in position.lines] == [PAID, PARTLY_PAID, UPCOMING]
    assert position.arrears == 0


def test_after_a_termination_later_instalments_are_not_owed(village: Village) -> None:
    contract = _contract(village, terminated_on=date(2024, 8, 31))
    make_receipt(contract, "1000.00", date(2024, 1, 5))
    position = contract_position(contract, on=date(2025, 3, 1))
    assert [line.state for line in position.lines] == [PAID, OVERDUE, CANCELLED]
    assert position.total == Decimal("2000.00")
    assert position.arrears == Decimal("1000.00")
    assert position.balance == Decimal("1000.00")


def test_arrears_and_expiring_lists(village: Village, other_village: Village) -> None:
    late = _contract(village, number="HT-LATE")
    make_receipt(late, "999.99", date(2024, 1, 2))
    paid = _contract(village, number="HT-PAID")
    make_receipt(paid, "1000.00", date(2024, 1, 2))
    ended = _contract(village, number="HT-ENDED", terminated_on=date(2024, 3, 1))
    make_receipt(ended, "1000.00", date(2024, 1, 2))
    _contract(other_village, number="HT-ELSEWHERE")
    rows = contracts_in_arrears(village, on=date(2024, 3, 1))
    assert [(row.contract.number, row.arrears) for row in rows] == [("HT-LATE", Decimal("0.01"))]
    rows = contracts_in_arrears(village, on=date(2024, 7, 2))
    assert [(row.contract.number, row.arrears) for row in rows] == [
        ("HT-LATE", Decimal("1000.01")),
        ("HT-PAID", Decimal("1000.00")),
    ]
    expiring = contracts_expiring(village, on=date(2025, 4, 1))
    assert [(row.contract.number, row.ends_on) for row in expiring] == [
        ("HT-LATE", date(2025, 6, 30)),
        ("HT-PAID", date(2025, 6, 30)),
    ]
    assert contracts_expiring(village, on=date(2025, 1, 1)) == []
    assert contracts_expiring(village, on=date(2025, 1, 1), days=200) != []


def test_the_village_lists_take_one_query_whatever_the_number(
    village: Village, django_assert_num_queries
) -> None:
    for _ in range(5):
        _contract(village)
    with django_assert_num_queries(1):
        assert len(contracts_in_arrears(village, on=date(2025, 3, 1))) == 5
    with django_assert_num_queries(1):
        assert len(contracts_expiring(village, on=date(2025, 4, 1))) == 5


money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)


@settings(max_examples=200, deadline=None)
@given(
    amounts=st.lists(money, min_size=1, max_size=12),
    received=st.decimals(min_value=0, max_value=Decimal("999999.99"), places=2),
)
def test_allocation_pays_in_order_and_never_more_than_received(
    amounts: list[Decimal], received: Decimal
) -> None:
    paid = allocate(amounts, received)
    assert sum(paid, Decimal(0)) == min(received, sum(amounts, Decimal(0)))
    assert all(Decimal(0) <= part <= amount for part, amount in zip(paid, amounts, strict=True))
    # Nothing is paid of an instalment while an earlier one is still owed.
    for index in range(1, len(paid)):
        if paid[index] > 0:
            assert paid[index - 1] == amounts[index - 1]
