from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from assets.values import MAX_AMOUNT, amount, digits, not_after_today


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("1234.5", Decimal("1234.50")),
        ("¥1,234.50", Decimal("1234.50")),
        (" 0 ", Decimal("0.00")),
        (7, Decimal("7.00")),
    ],
)
def test_amounts_people_type(typed: object, expected: Decimal) -> None:
    assert amount(typed, field="租金") == expected


@pytest.mark.parametrize(
    "typed, message",
    [
        ("1e30", "larger"),
        ("-1e999999", "larger"),
        ("NaN", "amount in yuan"),
        ("Infinity", "amount in yuan"),
        ("1.001", "two decimal places"),
        ("-5", "negative"),
        ("abc", "amount in yuan"),
        ("", "amount in yuan"),
        (None, "amount in yuan"),
    ],
)
def test_bad_amounts_are_refused_with_a_reason(typed: object, message: str, english: None) -> None:
    with pytest.raises(ValidationError, match=message):
        amount(typed, field="租金")


def test_zero_and_negative_only_when_allowed(english: None) -> None:
    with pytest.raises(ValidationError, match="more than zero"):
        amount("0", field="x", allow_zero=False)
    assert amount("-3.5", field="x", allow_negative=True) == Decimal("-3.50")


@given(st.text(max_size=30))
def test_no_text_crashes_the_amount(text: str) -> None:
    try:
        value = amount(text, field="x")
    except ValidationError:
        return
    assert 0 <= value <= MAX_AMOUNT and value == value.quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    "typed, expected", [("42", 42), (" 7 ", 7), ("²", None), ("１２", None), ("-1", None), ("9" * 19, None)]
)
def test_digits(typed: str, expected: int | None) -> None:
    assert digits(typed) == expected


def test_days_after_today_are_refused(english: None) -> None:
    today = timezone.localdate()
    assert not_after_today(today, what="The receipt") == today
    with pytest.raises(ValidationError, match="The receipt cannot be dated after today"):
        not_after_today(today + timedelta(days=1), what="The receipt")
