"""Reads about findings and their rectification (整改): the village's findings, what is overdue
(an open finding past its deadline: computed, never stored), the dashboard's figures, a finding's
history, and who may be made responsible."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, cast

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from supervision.models import (
    Evidence,
    Finding,
    FindingResponse,
    FindingState,
    FindingVerification,
    Question,
    Review,
)
from supervision.selectors.committee import roster_name
from villagegov.models import Person, Village
from villagegov.selectors.roster import on_roster_on

OVERDUE = "overdue"
# What the list's state filter accepts: the stored states, and overdue (open and past its deadline).
LIST_STATES = (*FindingState.values, OVERDUE)
DASHBOARD_LIMIT = 10
RECENT_REVIEWS = 5


def is_overdue(*, state: str, deadline: date, today: date) -> bool:
    """The rule in one place: an open finding whose deadline has passed. The deadline day itself
    is still in time; an answered finding waits on the committee, not on the responsible person."""
    return state == FindingState.OPEN and deadline < today


def overdue_q(today: date, *, via: str = "") -> Q:
    """`is_overdue` as a query condition (`via` reaches the finding through a relation)."""
    return Q(**{f"{via}state": FindingState.OPEN, f"{via}deadline__lt": today})


@dataclass(frozen=True)
class FindingRow:
    """A finding with its deadline in words' terms: days overdue (open and past the deadline),
    or days left (open and in time; 0 = due today); both None once answered or verified."""

    finding: Finding
    overdue_days: int | None
    days_left: int | None


def finding_row(finding: Finding, *, today: date) -> FindingRow:
    if finding.state != FindingState.OPEN:
        return FindingRow(finding, None, None)
    if is_overdue(state=finding.state, deadline=finding.deadline, today=today):
        return FindingRow(finding, (today - finding.deadline).days, None)
    return FindingRow(finding, None, (finding.deadline - today).days)


def finding_rows(findings: Iterable[Finding], *, today: date | None = None) -> list[FindingRow]:
    day = today or timezone.localdate()
    return [finding_row(finding, today=day) for finding in findings]


def village_findings(village: Village) -> QuerySet[Finding]:
    return Finding.objects.filter(review__village=village).select_related("review", "responsible")


def village_finding(village: Village, finding_id: int) -> Finding | None:
    """The finding of this village with that id, or None (another village's is not found)."""
    return village_findings(village).filter(pk=finding_id).first()


def findings_filtered(
    village: Village, *, state: str = "", responsible: Person | None = None, today: date | None = None
) -> QuerySet[Finding]:
    """The village's findings, overdue first then by deadline; of one state of LIST_STATES (an
    unknown state filters nothing) and, if given, of one responsible person."""
    day = today or timezone.localdate()
    findings = village_findings(village)
    if state == OVERDUE:
        findings = findings.filter(overdue_q(day))
    elif state in FindingState.values:
        findings = findings.filter(state=state)
    if responsible is not None:
        findings = findings.filter(responsible=responsible)
    return findings.order_by("deadline", "id")


@dataclass(frozen=True)
class FindingCounts:
    open: int
    answered: int
    verified: int
    overdue: int

    @property
    def total(self) -> int:
        # Overdue findings are among the open ones.
        return self.open + self.answered + self.verified

    def bars(self) -> list[tuple[Literal["open", "answered", "verified", "overdue"], int, int]]:
        """(state, count, width in percent of the largest count) for the dashboard's bar chart."""
        counts = {"open": self.open, "answered": self.answered, "verified": self.verified}
        counts["overdue"] = self.overdue
        largest = max(counts.values()) or 1
        return [(name, count, round(count * 100 / largest)) for name, count in counts.items()]  # type: ignore[misc]


def finding_counts(village: Village, *, today: date | None = None) -> FindingCounts:
    """How many of the village's findings are open, answered, verified and overdue: one query."""
    day = today or timezone.localdate()
    counts = Finding.objects.filter(review__village=village).aggregate(
        open=Count("pk", filter=Q(state=FindingState.OPEN)),
        answered=Count("pk", filter=Q(state=FindingState.ANSWERED)),
        verified=Count("pk", filter=Q(state=FindingState.VERIFIED)),
        overdue=Count("pk", filter=overdue_q(day)),
    )
    return FindingCounts(**counts)


def overdue_findings(village: Village, *, today: date | None = None) -> QuerySet[Finding]:
    """The village's overdue findings, longest overdue first."""
    return findings_filtered(village, state=OVERDUE, today=today)


def open_findings_of(village: Village, person: Person | None) -> QuerySet[Finding]:
    """The findings `person` still has to rectify (open ones), soonest deadline first."""
    if person is None:
        return Finding.objects.none()
    return findings_filtered(village, state=FindingState.OPEN, responsible=person)


def review_findings(review: Review) -> QuerySet[Finding]:
    """The findings of one review, for its page."""
    return (
        Finding.objects.filter(review_id=review.pk)
        .select_related("review", "responsible")
        .order_by("deadline", "id")
    )


def recent_reviews(village: Village) -> QuerySet[Review]:
    """The village's latest reviews (the common fields only), newest first."""
    return cast("QuerySet[Review]", Review.objects.filter(village=village).non_polymorphic()).order_by(
        "-opened_at", "-id"
    )


def questions_past_due(village: Village, *, today: date | None = None) -> QuerySet[Question]:
    """The village's questions still unanswered after their due date, oldest due first."""
    day = today or timezone.localdate()
    return (
        Question.objects.filter(village=village, answered_at__isnull=True, due_on__lt=day)
        .select_related("addressed_to_person", "addressed_to_council")
        .order_by("due_on", "id")
    )


def responsible_candidates(village: Village, *, today: date | None = None) -> QuerySet[Person]:
    """Who may be made responsible for a finding: anyone on the village's roster today."""
    day = today or timezone.localdate()
    return Person.objects.filter(village=village).filter(on_roster_on(day)).order_by("name", "pk")


@dataclass(frozen=True)
class HistoryEntry:
    """One event of a finding's history: an answer (with its evidence) or a verification."""

    at: datetime
    response: FindingResponse | None = None
    verification: FindingVerification | None = None


def finding_history(finding: Finding) -> list[HistoryEntry]:
    """The answers (with their evidence) and the committee's verifications, oldest first: two
    queries for the answers and their files, one for the verifications."""
    responses = (
        FindingResponse.objects.filter(finding=finding)
        .select_related("responded_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "id")))
    )
    verifications = FindingVerification.objects.filter(finding=finding).annotate(
        verifier_name=roster_name(finding.review.village_id, "verified_by")
    )
    entries = [HistoryEntry(at=r.responded_at, response=r) for r in responses]
    entries += [HistoryEntry(at=v.verified_at, verification=v) for v in verifications]
    entries.sort(key=lambda entry: entry.at)
    return entries
