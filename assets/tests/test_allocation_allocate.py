"""Sharing a distribution by shares to the fen (assets.allocation.allocate): largest remainders,
ties to the lower member number."""

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assets.allocation import allocate

money = st.integers(min_value=0, max_value=10**12).map(lambda fen: Decimal(fen) / 100)
share = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2)


@st.composite
def holdings(draw: st.DrawFn, min_size: int = 1, max_size: int = 60) -> list[tuple[str, int, Decimal]]:
    numbers = draw(
        st.lists(st.integers(min_value=1, max_value=10**6), min_size=min_size, max_size=max_size, unique=True)
    )
    return [(f"m{number}", number, draw(share)) for number in numbers]


@given(total=money, members=holdings())
def test_parts_sum_exactly_to_the_total_and_none_is_negative(
    total: Decimal, members: list[tuple[str, int, Decimal]]
) -> None:
    parts = allocate(total, members)
    assert sum(parts.values(), Decimal("0.00")) == total
    assert all(part >= 0 and part == part.quantize(Decimal("0.01")) for part in parts.values())
    assert set(parts) == {key for key, _n, _s in members}


@given(total=money, members=holdings(max_size=30), seed=st.integers())
def test_the_same_whatever_the_order_of_the_input(
    total: Decimal, members: list[tuple[str, int, Decimal]], seed: int
) -> None:
    shuffled = list(members)
    random.Random(seed).shuffle(shuffled)
    assert allocate(total, members) == allocate(total, shuffled)


@given(total=money, count=st.integers(min_value=1, max_value=200), each=share)
def test_equal_shares_differ_by_at_most_one_fen(total: Decimal, count: int, each: Decimal) -> None:
    parts = allocate(total, [(n, n, each) for n in range(1, count + 1)]).values()
    assert max(parts) - min(parts) <= Decimal("0.01")


@given(total=money, members=holdings())
def test_each_part_is_within_one_fen_of_the_exact_share(
    total: Decimal, members: list[tuple[str, int, Decimal]]
) -> None:
    parts = allocate(total, members)
    all_shares = sum(s for _k, _n, s in members)
    for key, _number, shares in members:
        exact = total * shares / all_shares
        assert abs(parts[key] - exact) < Decimal("0.01")


@settings(max_examples=5, deadline=None)
@given(total=money)
def test_thousands_of_members(total: Decimal) -> None:
    members = [(n, n, Decimal(n % 7 + 1) + Decimal("0.25")) for n in range(1, 5001)]
    parts = allocate(total, members)
    assert sum(parts.values(), Decimal("0.00")) == total


def test_zero_total_and_one_member() -> None:
    assert allocate(Decimal("0.00"), [("a", 1, Decimal("3")), ("b", 2, Decimal("1"))]) == {
        "a": Decimal("0.00"),
        "b": Decimal("0.00"),
    }
    assert allocate(Decimal("12345.67"), [("a", 7, Decimal("0.5"))]) == {"a": Decimal("12345.67")}


def test_the_leftover_fen_goes_to_the_largest_remainders_then_the_lower_number() -> None:
    # 1.00 among three equal holders: 0.33 each, one fen left, to member number 2 (the lowest).
    assert allocate(Decimal("1.00"), [("c", 9, Decimal(1)), ("a", 2, Decimal(1)), ("b", 5, Decimal(1))]) == {
        "a": Decimal("0.34"),
        "b": Decimal("0.33"),
        "c": Decimal("0.33"),
    }
    # 0.10 by shares 1 and 2: exact 3.33 and 6.67 fen → 3 and 6; the leftover fen goes to the
    # larger remainder (0.67), whichever member number holds it.
    assert allocate(Decimal("0.10"), [("x", 2, Decimal(1)), ("y", 1, Decimal(2))]) == {
        "x": Decimal("0.03"),
        "y": Decimal("0.07"),
    }
    assert allocate(Decimal("0.10"), [("x", 1, Decimal(1)), ("y", 2, Decimal(2))]) == {
        "x": Decimal("0.03"),
        "y": Decimal("0.07"),
    }


def test_a_member_without_shares_gets_nothing() -> None:
    parts = allocate(Decimal("0.05"), [("a", 1, Decimal(0)), ("b", 2, Decimal(3)), ("c", 3, Decimal(3))])
    assert parts["a"] == Decimal("0.00") and parts["b"] + parts["c"] == Decimal("0.05")


@pytest.mark.parametrize(
    ("total", "members", "reason"),
    [
        (Decimal("-1.00"), [("a", 1, Decimal(1))], "negative"),
        (Decimal("1.005"), [("a", 1, Decimal(1))], "finer than the fen"),
        (Decimal("1.00"), [("a", 1, Decimal(1)), ("a", 2, Decimal(1))], "twice"),
        (Decimal("1.00"), [("a", 1, Decimal(1)), ("b", 1, Decimal(1))], "twice"),
        (Decimal("1.00"), [("a", 1, Decimal(-1)), ("b", 2, Decimal(2))], "negative shares"),
        (Decimal("1.00"), [], "no shares"),
        (Decimal("1.00"), [("a", 1, Decimal(0))], "no shares"),
    ],
)
def test_refused_input(total: Decimal, members: list[tuple[str, int, Decimal]], reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        allocate(total, members)
