"""Builders for the session tests: local times, drafts created through the service."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from consultations.models import Session
from consultations.services.sessions import session_create
from villagegov.models import Council, Person


def local_time(days_from_today: int, at: time = time(19, 0)) -> datetime:
    """An aware time `days_from_today` local days from today, at `at` (Asia/Shanghai)."""
    day = timezone.localdate() + timedelta(days=days_from_today)
    return timezone.make_aware(datetime.combine(day, at))


def make_draft(council: Council, chair: Person, *, days_from_today: int = 20) -> Session:
    assert chair.user is not None, "the chair creates the draft: give them an account"
    return session_create(
        actor=chair.user,
        council=council,
        title="讨论修路",
        chair=chair,
        place="村委会议室",
        starts_at=local_time(days_from_today),
    )
