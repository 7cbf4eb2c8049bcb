"""Properties of the threshold arithmetic (DOMAIN.md "Counting"), checked against exact fractions."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from villagegov.thresholds import ThresholdSpec, evaluate, is_met, minimum_needed

counts = st.integers(min_value=0, max_value=10**9)
fractions = st.integers(min_value=1, max_value=20).flatmap(
    lambda denominator: st.tuples(st.integers(min_value=1, max_value=denominator), st.just(denominator))
)


@given(count=counts, total=counts, fraction=fractions, strict=st.booleans())
def test_is_met_agrees_with_exact_fractions(
    count: int, total: int, fraction: tuple[int, int], strict: bool
) -> None:
    numerator, denominator = fraction
    share = Fraction(numerator, denominator) * total
    expected = count > share if strict else count >= share
    assert (
        is_met(count=count, total=total, numerator=numerator, denominator=denominator, strict=strict)
        is expected
    )


@given(total=counts, fraction=fractions, strict=st.booleans())
def test_minimum_needed_is_the_smallest_count_that_meets(
    total: int, fraction: tuple[int, int], strict: bool
) -> None:
    numerator, denominator = fraction
    needed = minimum_needed(total=total, numerator=numerator, denominator=denominator, strict=strict)
    assert is_met(count=needed, total=total, numerator=numerator, denominator=denominator, strict=strict)
    if needed > 0:
        assert not is_met(
            count=needed - 1, total=total, numerator=numerator, denominator=denominator, strict=strict
        )


@given(total=st.integers(min_value=0, max_value=10**6), fraction=fractions)
def test_at_least_includes_the_number_itself(total: int, fraction: tuple[int, int]) -> None:
    """以上 (Civil Code Art. 1259): exactly the fraction of the total meets an inclusive threshold."""
    numerator, denominator = fraction
    exact = total * denominator  # a total whose share is a whole number
    share = exact * numerator // denominator
    assert is_met(count=share, total=exact, numerator=numerator, denominator=denominator, strict=False)
    if share:
        assert not is_met(count=share, total=exact, numerator=numerator, denominator=denominator, strict=True)


@given(total=st.integers(min_value=0, max_value=10**6))
def test_majority_is_strictly_more_than_half(total: int) -> None:
    needed = minimum_needed(total=total, numerator=1, denominator=2, strict=True)
    assert needed == total // 2 + 1
    assert needed * 2 > total >= (needed - 1) * 2


spec_purposes = st.sampled_from(["quorum", "convene_request", "decision", "composition", "election_valid"])


@given(
    purpose=spec_purposes,
    fractions_and_counts=st.lists(
        st.tuples(fractions, st.booleans(), st.integers(0, 200), st.integers(0, 200)), min_size=1, max_size=3
    ),
)
def test_evaluate_combines_alternatives_with_or_and_the_rest_with_and(
    purpose: str, fractions_and_counts: list[tuple[tuple[int, int], bool, int, int]]
) -> None:
    specs, counts_given, totals_given, each_met = [], {}, {}, []
    for index, ((numerator, denominator), strict, count, total) in enumerate(fractions_and_counts):
        counted, basis = f"counted_{index}", f"basis_{index}"
        specs.append(ThresholdSpec(purpose, counted, basis, numerator, denominator, strict))
        counts_given[counted], totals_given[basis] = count, total
        each_met.append(
            total > 0
            and is_met(count=count, total=total, numerator=numerator, denominator=denominator, strict=strict)
        )
    outcome = evaluate(specs, purpose=purpose, counts=counts_given, totals=totals_given)
    combine = any if purpose in ("quorum", "convene_request") else all
    assert outcome.met is combine(each_met)
    assert [figure.met for figure in outcome.figures] == each_met
