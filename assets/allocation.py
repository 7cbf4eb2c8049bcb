"""Sharing an amount among members by their shares, exact to the fen (分).

The largest-remainder method in whole fen: each member first gets the floor of
total_fen × shares / total_shares; the fen left over (fewer than the number of members) go one
each to the members with the largest remainders. Ties between equal remainders go to the lower
member number first. So the parts always add up to the total exactly, no part is negative, two
members with equal shares differ by at most one fen, and the result does not depend on the order
the holdings are given in."""

from collections.abc import Hashable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from assets.values import CENT

K = TypeVar("K", bound=Hashable)


def allocate(total: Decimal, holdings: Sequence[tuple[K, int, Decimal]]) -> dict[K, Decimal]:
    """Share `total` (yuan, at most two decimal places, not negative) among `holdings`, each
    (key, member number, shares), by shares: largest remainders in whole fen, ties to the lower
    member number. Returns each key's amount in yuan with two places. Raises ValueError for a
    negative total or shares, a total finer than the fen, repeated keys or member numbers, or a
    positive total with no shares to share it by."""
    if total < 0:
        raise ValueError("the total to share is negative")
    if total != total.quantize(CENT):
        raise ValueError("the total is finer than the fen")
    total_fen = int(total * 100)
    keys = [key for key, _number, _shares in holdings]
    numbers = [number for _key, number, _shares in holdings]
    if len(set(keys)) != len(keys) or len(set(numbers)) != len(numbers):
        raise ValueError("a member appears twice")
    shares = [Fraction(value) for _key, _number, value in holdings]
    if any(value < 0 for value in shares):
        raise ValueError("negative shares")
    total_shares = sum(shares, Fraction(0))
    if total_shares == 0:
        if total_fen:
            raise ValueError("no shares to share the total by")
        return {key: Decimal("0.00") for key in keys}
    parts: list[int] = []
    remainders: list[Fraction] = []
    for value in shares:
        exact = total_fen * value / total_shares
        whole = exact.numerator // exact.denominator
        parts.append(whole)
        remainders.append(exact - whole)
    leftover = total_fen - sum(parts)
    # The leftover fen, one each, to the largest remainders; equal remainders by member number.
    order = sorted(range(len(holdings)), key=lambda index: (-remainders[index], numbers[index]))
    for index in order[:leftover]:
        parts[index] += 1
    return {key: (Decimal(part) / 100).quantize(CENT) for key, part in zip(keys, parts, strict=True)}
