"""Checking someone in to a session: the service's rules."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from consultations.models import Attendance, CheckInMethod, Session, SessionState
from consultations.selectors import attendance as selectors
from consultations.services import attendance as services
from consultations.services.attendance import attendance_check_in
from consultations.tests.attendance_testing import assembly, make_session, representatives_meeting, seat
from villagegov.models import AuditRecord, Person, Role, Village
from villagegov.testing import make_person

pytestmark = pytest.mark.usefixtures("english")


def check_in_self(session: object, person: Person) -> Attendance:
    assert person.user is not None
    return attendance_check_in(actor=person.user, session=session, person=person, method=CheckInMethod.SELF)  # type: ignore[arg-type]


def test_a_member_checks_in_and_it_is_audited(village: Village) -> None:
    session = make_session(representatives_meeting(village))
    member = seat(session.council, make_person(village, with_account=True))
    before = timezone.now()
    attendance = check_in_self(session, member)
    assert (attendance.session, attendance.person, attendance.method) == (session, member, CheckInMethod.SELF)
    assert attendance.recorded_by == member.user
    assert attendance.checked_in_at >= before
    record = AuditRecord.objects.get(action="attendance.check_in")
    assert record.target_id == str(attendance.pk) and record.village == village
    assert record.after is not None and record.after["person_id"] == member.pk


@pytest.mark.parametrize("state", [SessionState.ANNOUNCED, SessionState.OPEN])
def test_announced_and_open_sessions_take_check_ins(village: Village, state: SessionState) -> None:
    session = make_session(representatives_meeting(village), state=state)
    member = seat(session.council, make_person(village, with_account=True))
    check_in_self(session, member)
    assert Attendance.objects.filter(session=session, person=member).exists()


@pytest.mark.parametrize(
    ("state", "words"),
    [(SessionState.DRAFT, "not been announced"), (SessionState.CLOSED, "already closed")],
)
def test_draft_and_closed_sessions_refuse(village: Village, state: SessionState, words: str) -> None:
    session = make_session(representatives_meeting(village), state=state)
    member = seat(session.council, make_person(village, with_account=True))
    with pytest.raises(ValidationError, match=words):
        check_in_self(session, member)
    assert not Attendance.objects.exists()
    assert not AuditRecord.objects.filter(action="attendance.check_in").exists()


def test_only_members_of_the_council_on_its_day(village: Village) -> None:
    session = make_session(representatives_meeting(village))
    stranger = make_person(village, name="张三", with_account=True)
    with pytest.raises(ValidationError, match="张三 is not a member of"):
        check_in_self(session, stranger)
    assert not Attendance.objects.exists()


def test_villagers_assembly_takes_adult_registered_villagers_only(village: Village) -> None:
    session = make_session(assembly(village))
    check_in_self(session, make_person(village, with_account=True))
    child = make_person(village, birth_date=date(2020, 1, 1), with_account=True)
    not_registered = make_person(village, registered=False, with_account=True)
    for person in (child, not_registered):
        with pytest.raises(ValidationError, match="is not a member of"):
            check_in_self(session, person)
    assert Attendance.objects.count() == 1


def test_people_who_left_or_of_another_village_are_refused(village: Village, other_village: Village) -> None:
    session = make_session(assembly(village))
    gone = make_person(village, left_on=date(2024, 1, 1), with_account=True)
    stranger = make_person(other_village, with_account=True)
    for person in (gone, stranger):
        with pytest.raises(ValidationError, match=r"roster|not a member"):
            check_in_self(session, person)
    assert not Attendance.objects.exists()


def test_a_second_check_in_says_when_the_first_was(village: Village) -> None:
    session = make_session(representatives_meeting(village))
    member = seat(session.council, make_person(village, with_account=True))
    first = check_in_self(session, member)
    time = timezone.localtime(first.checked_in_at).strftime("%H:%M")
    with pytest.raises(ValidationError, match=f"already checked in at {time}"):
        check_in_self(session, member)
    assert Attendance.objects.count() == 1
    assert AuditRecord.objects.filter(action="attendance.check_in").count() == 1


def test_the_unique_constraint_catches_a_race(village: Village, monkeypatch: pytest.MonkeyPatch) -> None:
    """Should two requests pass the check together, the database refuses the second."""
    session = make_session(representatives_meeting(village))
    member = seat(session.council, make_person(village, with_account=True))
    check_in_self(session, member)
    monkeypatch.setattr(services, "check_in_refusal", lambda **kwargs: None)
    with pytest.raises(ValidationError, match="already checked in at"):
        check_in_self(session, member)
    assert Attendance.objects.count() == 1
    assert AuditRecord.objects.filter(action="attendance.check_in").count() == 1


def test_self_check_in_is_for_oneself_only(village: Village) -> None:
    session = make_session(representatives_meeting(village))
    member = seat(session.council, make_person(village, with_account=True))
    other = seat(session.council, make_person(village, with_account=True))
    assert other.user is not None
    with pytest.raises(ValidationError, match="only check yourself in"):
        attendance_check_in(actor=other.user, session=session, person=member, method=CheckInMethod.SELF)
    assert not Attendance.objects.exists()


def test_the_clerk_checks_others_in_and_is_recorded(village: Village, official: Person) -> None:
    session = make_session(representatives_meeting(village))
    member = seat(session.council, make_person(village))  # no phone, no account
    assert official.user is not None
    attendance = attendance_check_in(
        actor=official.user, session=session, person=member, method=CheckInMethod.CLERK
    )
    assert (attendance.method, attendance.recorded_by) == (CheckInMethod.CLERK, official.user)


def test_a_villager_cannot_check_others_in(village: Village, resident: Person) -> None:
    session = make_session(representatives_meeting(village))
    member = seat(session.council, make_person(village))
    assert resident.user is not None
    with pytest.raises(ValidationError, match="chair or the clerk"):
        attendance_check_in(actor=resident.user, session=session, person=member, method=CheckInMethod.CLERK)
    assert not Attendance.objects.exists()


def test_refusal_reads_the_same_as_the_service(village: Village) -> None:
    session = make_session(representatives_meeting(village))
    member = seat(session.council, make_person(village, roles=(Role.REPRESENTATIVE,), with_account=True))
    assert selectors.check_in_refusal(session=session, person=member) is None
    check_in_self(session, member)
    assert "already checked in" in (selectors.check_in_refusal(session=session, person=member) or "")


def test_check_in_opens_on_the_day_of_the_session_not_at_the_announcement(village: Village) -> None:
    """The QR code proves presence in the hall; nobody checks in days ahead from home."""
    session = make_session(representatives_meeting(village))
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() + timedelta(days=3))
    session.refresh_from_db()
    member = seat(session.council, make_person(village, with_account=True))
    with translation.override("en"), pytest.raises(ValidationError, match="Check-in opens on the day"):
        check_in_self(session, member)
    assert not Attendance.objects.exists()
