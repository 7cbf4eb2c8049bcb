"""Reads of a village's sessions."""

from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from consultations.models import Session, SessionState
from villagegov.models import CouncilSeat, Person, Role, RoleAssignment, Village
from villagegov.selectors.councils import seat_in_force
from villagegov.selectors.terms import in_force_on

# Roles nearly everyone holds: they make nobody a likely chair.
ROLES_NOT_OFFICES = (Role.RESIDENT, Role.COLLECTIVE_MEMBER)


def village_sessions(village: Village, *, include_drafts: bool) -> QuerySet[Session]:
    sessions = Session.objects.filter(council__village=village).select_related("council", "chair")
    return sessions if include_drafts else sessions.exclude(state=SessionState.DRAFT)


def _start_of_today() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def upcoming_sessions(village: Village, *, include_drafts: bool) -> QuerySet[Session]:
    """Sessions from today on, and any still in progress, soonest first."""
    return (
        village_sessions(village, include_drafts=include_drafts)
        .filter(Q(starts_at__gte=_start_of_today()) | Q(state=SessionState.OPEN))
        .order_by("starts_at", "id")
    )


def past_sessions(village: Village, *, include_drafts: bool) -> QuerySet[Session]:
    """Sessions before today that are not in progress, latest first."""
    return (
        village_sessions(village, include_drafts=include_drafts)
        .filter(starts_at__lt=_start_of_today())
        .exclude(state=SessionState.OPEN)
        .order_by("-starts_at", "-id")
    )


def session_chair_candidates(village: Village, *, on: date) -> QuerySet[Person]:
    """Who may be offered as a chair: people on the roster holding a seat or an office that day.
    A select of all of a village's 1,000 people would be unusable; a session is chaired by
    someone who holds one (the committee's director, a group leader, a council's chair)."""
    seated = CouncilSeat.objects.filter(seat_in_force(on=on), council__village=village).values("person_id")
    offices = (
        RoleAssignment.objects.filter(in_force_on(on), person__village=village)
        .exclude(role__in=ROLES_NOT_OFFICES)
        .values("person_id")
    )
    return (
        Person.objects.filter(village=village, left_on__isnull=True)
        .filter(Q(pk__in=seated) | Q(pk__in=offices))
        .select_related("household")
        .order_by("name", "pk")
    )


def session_day(session: Session) -> date:
    """The local date the session meets on (Asia/Shanghai): membership and check-in are judged on it."""
    return timezone.localdate(session.starts_at)
