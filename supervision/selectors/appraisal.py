"""Reads of the yearly democratic appraisal (民主评议, Organic Law Art. 33): the rule that turns
the meeting's ratings into an outcome, the village's appraisals with their counts, the sessions
one can be held at, and the village-committee members appraised with their results."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from consultations.models import Attendance, Session, SessionState
from consultations.selectors.sessions import session_day
from supervision.models import Appraisal, AppraisalRating, AppraisalResult
from supervision.selectors.committee import ELECTING_BODIES
from villagegov.models import Body, CouncilSeat, Village
from villagegov.selectors.councils import POSITION_ORDER, seat_in_force

APPRAISAL_CITATION = "《村民委员会组织法》第三十三条"
# The bodies whose meeting appraises the committee's members: the 村民会议 or the 村民代表会议
# (Art. 33), the same that elect the supervision committee.
APPRAISING_BODIES = ELECTING_BODIES
APPRAISAL_SESSION_STATES = (SessionState.OPEN, SessionState.CLOSED)


def appraisal_outcome(*, competent: int, basically_competent: int, incompetent: int) -> AppraisalRating:
    """The outcome of one member's ratings. Art. 33 leaves the method of the appraisal to local
    rules (the provinces' implementing measures); this is the app's default, by a strict majority
    (过半数) of the ratings cast, integer arithmetic only: 不称职 when more than half rated the
    member incompetent; else 称职 when more than half rated them competent; else 基本称职."""
    total = competent + basically_competent + incompetent
    if incompetent * 2 > total:
        return AppraisalRating.INCOMPETENT
    if competent * 2 > total:
        return AppraisalRating.COMPETENT
    return AppraisalRating.BASICALLY_COMPETENT


def village_appraisals(village: Village) -> QuerySet[Appraisal]:
    """The village's appraisals, newest year first, each with its session and its counts of
    outcomes (one query)."""
    return (
        Appraisal.objects.filter(village=village)
        .select_related("session__council")
        .annotate(
            competent_count=Count("results", filter=Q(results__outcome=AppraisalRating.COMPETENT)),
            basically_count=Count("results", filter=Q(results__outcome=AppraisalRating.BASICALLY_COMPETENT)),
            incompetent_count=Count("results", filter=Q(results__outcome=AppraisalRating.INCOMPETENT)),
        )
        .order_by("-year", "-pk")
    )


def village_appraisal(village: Village, appraisal_id: int) -> Appraisal | None:
    return (
        Appraisal.objects.filter(village=village, pk=appraisal_id)
        .select_related("session__council", "village")
        .first()
    )


def appraisal_sessions(village: Village) -> QuerySet[Session]:
    """Sessions of the village's 村民会议 or 村民代表会议 under way or held: where an appraisal
    can take place."""
    return (
        Session.objects.filter(
            council__village=village,
            council__body__in=APPRAISING_BODIES,
            state__in=APPRAISAL_SESSION_STATES,
        )
        .select_related("council")
        .order_by("-starts_at", "-pk")
    )


def session_attendees(session: Session) -> int:
    """Who attended the session: the most ratings one member can receive there."""
    return Attendance.objects.filter(session=session).count()


def appraisal_day(appraisal: Appraisal) -> date:
    """The day of the appraisal's session: whose seats are appraised, and the end of an office
    the appraisal ends."""
    return session_day(appraisal.session)


def appraised_seats(appraisal: Appraisal) -> list[CouncilSeat]:
    """The village-committee seats in force on the session's day, chair first, one per person."""
    day = appraisal_day(appraisal)
    seats = (
        CouncilSeat.objects.filter(
            seat_in_force(on=day),
            council__village_id=appraisal.village_id,
            council__body=Body.VILLAGE_COMMITTEE,
        )
        .select_related("person")
        .order_by(POSITION_ORDER, "starts_on", "person__name", "pk")
    )
    one_each: dict[int, CouncilSeat] = {}
    for seat in seats:
        one_each.setdefault(seat.person_id, seat)
    return list(one_each.values())


def appraised_seat(appraisal: Appraisal, person_id: int) -> CouncilSeat | None:
    return next((seat for seat in appraised_seats(appraisal) if seat.person_id == person_id), None)


def previous_appraisal(appraisal: Appraisal) -> Appraisal | None:
    """The village's appraisal of the latest earlier year."""
    return (
        Appraisal.objects.filter(village_id=appraisal.village_id, year__lt=appraisal.year)
        .order_by("-year", "-pk")
        .first()
    )


def previous_result(appraisal: Appraisal, person_id: int) -> AppraisalResult | None:
    """The member's result in the village's previous appraisal, if they were rated there."""
    previous = previous_appraisal(appraisal)
    if previous is None:
        return None
    return AppraisalResult.objects.filter(appraisal=previous, person_id=person_id).first()


def office_ends(outcome: str, previous: AppraisalResult | None) -> bool:
    """Art. 33: a member rated incompetent in two consecutive appraisals loses office."""
    return (
        outcome == AppraisalRating.INCOMPETENT
        and previous is not None
        and previous.outcome == AppraisalRating.INCOMPETENT
    )


@dataclass(frozen=True)
class AppraisalRow:
    seat: CouncilSeat
    result: AppraisalResult | None
    previous: AppraisalResult | None

    @property
    def person_id(self) -> int:
        return self.seat.person_id

    @property
    def office_ended(self) -> bool:
        return self.result is not None and office_ends(self.result.outcome, self.previous)


def appraisal_rows(appraisal: Appraisal) -> list[AppraisalRow]:
    """Every member appraised with their result (if recorded) and their previous result: a
    fixed number of queries. A member with a result whose seat is no longer in force on the
    session's day (their office ended) is kept through the result's own seat."""
    seats = appraised_seats(appraisal)
    results = {
        result.person_id: result
        for result in AppraisalResult.objects.filter(appraisal=appraisal).select_related("seat__person")
    }
    previous = previous_appraisal(appraisal)
    earlier = (
        {
            result.person_id: result
            for result in AppraisalResult.objects.filter(appraisal=previous).only(
                "pk", "person_id", "outcome", "appraisal_id"
            )
        }
        if previous is not None
        else {}
    )
    seen = {seat.person_id for seat in seats}
    rows = [
        AppraisalRow(seat=seat, result=results.get(seat.person_id), previous=earlier.get(seat.person_id))
        for seat in seats
    ]
    rows += [
        AppraisalRow(seat=result.seat, result=result, previous=earlier.get(person_id))
        for person_id, result in results.items()
        if person_id not in seen
    ]
    return rows
