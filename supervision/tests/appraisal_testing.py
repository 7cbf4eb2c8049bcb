"""Builders for the tests of the democratic appraisal (民主评议): a held session of the
representatives' meeting with its attendees, an appraisal, and a result made with the models."""

from datetime import timedelta

from django.utils import timezone

from consultations.models import Attendance, CheckInMethod, Session, SessionState
from consultations.tests.attendance_testing import make_session, representatives_meeting
from supervision.models import Appraisal, AppraisalRating, AppraisalResult
from supervision.selectors.appraisal import appraised_seat
from villagegov.models import Person, Role, User, Village
from villagegov.testing import make_person


def committee_member(village: Village, name: str = "村委委员") -> Person:
    """A village-committee member (a seat since 2020) with an account."""
    return make_person(village, name=name, roles=(Role.COMMITTEE_MEMBER,), with_account=True)


def held_session(village: Village, *, attendees: int = 10, days_ago: int = 0) -> Session:
    """A closed session of the village's 村民代表会议 held `days_ago`, with `attendees` present."""
    session = make_session(representatives_meeting(village), state=SessionState.CLOSED)
    if days_ago:
        when = timezone.now() - timedelta(days=days_ago)
        Session.objects.filter(pk=session.pk).update(starts_at=when, opened_at=when, closed_at=when)
        session.refresh_from_db()
    Attendance.objects.bulk_create(
        Attendance(
            session=session,
            person=make_person(village),
            checked_in_at=session.starts_at,
            method=CheckInMethod.CLERK,
            recorded_by=session.created_by,
        )
        for _ in range(attendees)
    )
    return session


def make_appraisal(
    village: Village, *, by: User, year: int | None = None, session: Session | None = None
) -> Appraisal:
    session = session or held_session(village)
    return Appraisal.objects.create(
        village=village,
        year=year or timezone.localdate(session.starts_at).year,
        session=session,
        opened_by=by,
        opened_at=timezone.now(),
    )


def make_result(
    appraisal: Appraisal, person: Person, outcome: AppraisalRating, *, by: User
) -> AppraisalResult:
    """A recorded result with counts that give `outcome` (10 ratings)."""
    seat = appraised_seat(appraisal, person.pk)
    assert seat is not None, "the person sits on the village committee on the appraisal's day"
    counts = {
        AppraisalRating.COMPETENT: (8, 1, 1),
        AppraisalRating.BASICALLY_COMPETENT: (3, 5, 2),
        AppraisalRating.INCOMPETENT: (2, 2, 6),
    }[outcome]
    return AppraisalResult.objects.create(
        appraisal=appraisal,
        person=person,
        seat=seat,
        competent=counts[0],
        basically_competent=counts[1],
        incompetent=counts[2],
        outcome=outcome,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
