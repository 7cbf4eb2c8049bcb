"""The outcome of a member's ratings (the app's default; Art. 33 leaves the method to local
rules): 不称职 by a strict majority of incompetent, else 称职 by a strict majority of competent,
else 基本称职."""

from hypothesis import given
from hypothesis import strategies as st

from supervision.models import AppraisalRating
from supervision.selectors.appraisal import appraisal_outcome

counts = st.integers(min_value=0, max_value=10**6)


@given(competent=counts, basically=counts, incompetent=counts)
def test_the_outcome_for_any_counts(competent: int, basically: int, incompetent: int) -> None:
    total = competent + basically + incompetent
    outcome = appraisal_outcome(competent=competent, basically_competent=basically, incompetent=incompetent)
    if 2 * incompetent > total:
        assert outcome == AppraisalRating.INCOMPETENT
    elif 2 * competent > total:
        assert outcome == AppraisalRating.COMPETENT
    else:
        assert outcome == AppraisalRating.BASICALLY_COMPETENT
    # The outcome names a strict majority or none: never a rating half or fewer gave.
    if outcome == AppraisalRating.COMPETENT:
        assert competent > total - competent
    if outcome == AppraisalRating.INCOMPETENT:
        assert incompetent > total - incompetent


def test_exactly_half_is_not_a_majority() -> None:
    assert appraisal_outcome(competent=0, basically_competent=5, incompetent=5) == (
        AppraisalRating.BASICALLY_COMPETENT
    )
    assert appraisal_outcome(competent=5, basically_competent=0, incompetent=5) == (
        AppraisalRating.BASICALLY_COMPETENT
    )
    assert appraisal_outcome(competent=6, basically_competent=0, incompetent=5) == AppraisalRating.COMPETENT
    assert appraisal_outcome(competent=5, basically_competent=0, incompetent=6) == AppraisalRating.INCOMPETENT
