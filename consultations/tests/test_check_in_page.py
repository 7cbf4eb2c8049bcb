"""The check-in page behind a session's QR code: /v/<code>/sessions/<id>/check-in/<join_code>/."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from consultations.models import Attendance, CheckInMethod, Session, SessionState
from consultations.tests.attendance_testing import make_session, representatives_meeting, seat
from villagegov.models import Person, Village
from villagegov.testing import client_for, make_person

pytestmark = pytest.mark.usefixtures("english")


def url(session: Session, code: str | None = None) -> str:
    village = session.council.village
    return reverse("session_check_in", args=[village.admin_code, session.pk, code or session.join_code])


@pytest.fixture
def session(village: Village) -> Session:
    return make_session(representatives_meeting(village))


@pytest.fixture
def member(session: Session, village: Village) -> Person:
    return seat(session.council, make_person(village, name="王大伯", with_account=True))


def test_member_sees_the_session_and_the_button(session: Session, member: Person) -> None:
    response = client_for(member).get(url(session))
    assert response.status_code == 200
    html = response.content.decode()
    assert session.title in html and session.place in html
    assert "Check in (签到)" in html


def test_member_checks_in(session: Session, member: Person) -> None:
    response = client_for(member).post(url(session))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "session_detail", args=[session.council.village.admin_code, session.pk]
    )
    attendance = Attendance.objects.get(session=session)
    assert (attendance.person, attendance.method, attendance.recorded_by) == (
        member,
        CheckInMethod.SELF,
        member.user,
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["You are checked in. Welcome!"]


def test_second_visit_says_when(session: Session, member: Person) -> None:
    client = client_for(member)
    client.post(url(session))
    response = client.get(url(session))
    assert "already checked in at" in response.content.decode()
    assert "<button" not in response.content.decode().split("<main")[1]
    response = client.post(url(session))
    assert response.status_code == 400 and "already checked in at" in response.content.decode()
    assert Attendance.objects.count() == 1


@pytest.mark.parametrize("code", ["wrong-code", "join-0000-secret", "x" * 500])
def test_wrong_code_is_404(session: Session, member: Person, code: str) -> None:
    client = client_for(member)
    assert client.get(url(session, code)).status_code == 404
    assert client.post(url(session, code)).status_code == 404
    assert not Attendance.objects.exists()


def test_session_of_another_village_is_404(
    session: Session, member: Person, other_village: Village, outsider_client: Client
) -> None:
    foreign = make_session(representatives_meeting(other_village))
    # This village's address with the other village's session and its right code.
    address = reverse(
        "session_check_in", args=[session.council.village.admin_code, foreign.pk, foreign.join_code]
    )
    assert client_for(member).post(address).status_code == 404
    # A user of another village at this village's session.
    assert outsider_client.post(url(session)).status_code == 404
    assert not Attendance.objects.exists()


def test_non_member_is_told_why_and_nothing_is_written(session: Session, resident_client: Client) -> None:
    response = resident_client.get(url(session))
    assert response.status_code == 200
    assert "is not a member of" in response.content.decode()
    response = resident_client.post(url(session))
    assert response.status_code == 400
    assert "is not a member of" in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("state", "words"),
    [(SessionState.DRAFT, "not been announced"), (SessionState.CLOSED, "already closed")],
)
def test_not_now(village: Village, state: SessionState, words: str) -> None:
    session = make_session(representatives_meeting(village), state=state)
    member = seat(session.council, make_person(village, with_account=True))
    client = client_for(member)
    assert words in client.get(url(session)).content.decode()
    response = client.post(url(session))
    assert response.status_code == 400 and words in response.content.decode()
    assert not Attendance.objects.exists()


def test_someone_who_left_cannot_reach_it(session: Session, village: Village) -> None:
    gone = make_person(village, with_account=True, left_on=date(2024, 1, 1))
    assert client_for(gone).post(url(session)).status_code == 404
    assert not Attendance.objects.exists()


def test_anonymous_goes_to_login_and_comes_back(session: Session) -> None:
    response = Client().get(url(session))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"] and session.join_code in response["Location"]
    assert Client().post(url(session)).status_code == 302
    assert not Attendance.objects.exists()
