"""The send_session_reminders command: the day before, once per session."""

from datetime import time
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings

from consultations.models import Session
from consultations.services.sessions import session_announce
from consultations.tests.sessions_testing import local_time, make_draft
from villagegov import sms
from villagegov.models import AuditRecord, Body, Notification, Person, Role, User, Village
from villagegov.testing import council_of, make_person

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def sms_in_memory(settings: Settings) -> None:
    settings.VILLAGEGOV_SMS_BACKEND = "memory"
    sms.outbox.clear()


def announced(council_village: Village, chair: Person, *, days_from_today: int) -> Session:
    assert isinstance(chair.user, User)
    draft = make_draft(
        council_of(council_village, Body.VILLAGE_COMMITTEE), chair, days_from_today=days_from_today
    )
    return session_announce(actor=chair.user, session=draft)


def announced_for_tomorrow(village: Village, chair: Person) -> Session:
    """Announced days ago for a session that meets tomorrow: moved from later to tomorrow."""
    session = announced(village, chair, days_from_today=5)
    session.starts_at = local_time(1, session.starts_at.time())
    session.save(update_fields=["starts_at"])
    return session


def run() -> str:
    out = StringIO()
    call_command("send_session_reminders", stdout=out)
    return out.getvalue()


def test_reminds_tomorrow_s_session_once(
    village: Village, official: Person, django_capture_on_commit_callbacks: Any
) -> None:
    member = make_person(village, roles=(Role.COMMITTEE_MEMBER,))
    member.phone = "+8613800138003"
    member.save(update_fields=["phone"])
    session = announced_for_tomorrow(village, official)
    later = announced(village, official, days_from_today=5)
    before = Notification.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        assert "1 session" in run()
    reminders = Notification.objects.filter(message__startswith="Reminder")
    assert set(reminders.values_list("person_id", flat=True)) == {official.pk, member.pk}
    assert Notification.objects.count() == before + 2
    assert [m.phone for m in sms.outbox] == ["+8613800138003"] and "tomorrow" in sms.outbox[0].message
    session.refresh_from_db()
    later.refresh_from_db()
    assert session.reminded_at is not None and later.reminded_at is None
    assert AuditRecord.objects.filter(action="session.remind", target_id=str(session.pk)).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert "0 session" in run()
    assert reminders.count() == 2 and len(sms.outbox) == 1


def test_skips_drafts_and_sessions_already_reminded(village: Village, official: Person) -> None:
    draft = make_draft(council_of(village, Body.VILLAGE_COMMITTEE), official, days_from_today=1)
    # Announced the day before: the announcement was the reminder.
    announced(village, official, days_from_today=1)
    assert "0 session" in run()
    assert not Notification.objects.filter(message__startswith="Reminder").exists()
    draft.refresh_from_db()
    assert draft.reminded_at is None


def test_tomorrow_is_the_local_date(village: Village, official: Person) -> None:
    """Just after midnight in Shanghai is still the previous day in UTC: the local date counts."""
    session = announced(village, official, days_from_today=5)
    session.starts_at = local_time(1, time(0, 0))  # 00:00 local = 16:00 UTC today
    session.save(update_fields=["starts_at"])
    assert "1 session" in run()
