"""Builders for the attendance tests: a council's session in a given state."""

import itertools
from datetime import datetime, timedelta

from django.utils import timezone

from consultations.models import Session, SessionState
from villagegov.models import Body, Council, CouncilSeat, Person, Village
from villagegov.testing import council_of, make_person

_codes = itertools.count(1)
ROLES_SINCE = datetime(2020, 1, 1).date()


def make_session(
    council: Council, *, state: SessionState = SessionState.ANNOUNCED, chair: Person | None = None
) -> Session:
    """A session of `council` meeting now, in `state` (with the times its state needs)."""
    chair = chair or make_person(council.village, with_account=True)
    assert chair.user is not None
    now = timezone.now()
    started = state in (SessionState.OPEN, SessionState.CLOSED)
    return Session.objects.create(
        council=council,
        title="讨论修路",
        chair=chair,
        place="村委会议室",
        starts_at=now,  # meeting now: check-in is open on the day
        state=state,
        announced_at=None if state == SessionState.DRAFT else now - timedelta(days=10),
        opened_at=now if started else None,
        closed_at=now if state == SessionState.CLOSED else None,
        join_code=f"join-{next(_codes):04d}-secret",
        created_by=chair.user,
    )


def seat(council: Council, person: Person) -> Person:
    CouncilSeat.objects.create(council=council, person=person, starts_on=ROLES_SINCE)
    return person


def representatives_meeting(village: Village) -> Council:
    return council_of(village, Body.REPRESENTATIVES_MEETING)


def assembly(village: Village) -> Council:
    return council_of(village, Body.VILLAGERS_ASSEMBLY)
