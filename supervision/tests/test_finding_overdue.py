"""Overdue is computed, never stored: an open finding whose deadline is before today. The rule,
the query and the list agree for any dates (hypothesis); the deadline day itself is in time."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supervision.models import Finding, FindingState, Review
from supervision.selectors.findings import (
    OVERDUE,
    finding_counts,
    finding_row,
    findings_filtered,
    is_overdue,
)
from villagegov.models import Person, Village
from villagegov.testing import make_person

from . import findings_testing
from .findings_testing import make_finding

# Fixtures shared by the finding tests.
review = findings_testing.review
supervisor = findings_testing.supervisor
supervisors = findings_testing.supervisors

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
states = st.sampled_from(FindingState.values)


def test_the_deadline_day_is_in_time() -> None:
    day = date(2024, 2, 29)
    assert not is_overdue(state=FindingState.OPEN, deadline=day, today=day)
    assert is_overdue(state=FindingState.OPEN, deadline=day, today=day + timedelta(days=1))
    assert not is_overdue(state=FindingState.ANSWERED, deadline=day, today=day + timedelta(days=1))


@FAST
@given(state=states, deadline=days, today=days)
def test_row_words_agree_with_the_rule(state: str, deadline: date, today: date) -> None:
    finding = Finding(state=state, deadline=deadline)
    row = finding_row(finding, today=today)
    overdue = is_overdue(state=state, deadline=deadline, today=today)
    assert (row.overdue_days is not None) == overdue
    if overdue:
        assert row.overdue_days == (today - deadline).days > 0
    if state == FindingState.OPEN and not overdue:
        assert row.days_left == (deadline - today).days >= 0
    if state != FindingState.OPEN:
        assert row.overdue_days is None and row.days_left is None


@pytest.fixture
def responsible(village: Village) -> Person:
    return make_person(village)


@FAST
@given(findings=st.lists(st.tuples(states, days), max_size=8), today=days)
def test_query_agrees_with_the_rule(
    village: Village, review: Review, responsible: Person, findings: list[tuple[str, date]], today: date
) -> None:
    Finding.objects.all().delete()
    made = [make_finding(review, responsible, state=FindingState(s), deadline=d) for s, d in findings]
    expected = {f.pk for f in made if is_overdue(state=f.state, deadline=f.deadline, today=today)}
    assert (
        set(findings_filtered(village, state=OVERDUE, today=today).values_list("pk", flat=True)) == expected
    )
    counts = finding_counts(village, today=today)
    assert counts.overdue == len(expected)
    assert counts.open == sum(1 for s, _ in findings if s == FindingState.OPEN)
    assert counts.total == len(findings)
