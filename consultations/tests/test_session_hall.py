"""The hall's projector screen: title, current item, speaker and timer, quorum, the vote's
progress or its result as a chart, and the check-in QR code, for those who keep attendance."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.models import Answer, PollOption, Session, SessionState, SpeakerRequest, SpeakerState
from consultations.selectors.live import hall_screen, result_chart
from consultations.services.polls import ballot_cast, poll_close
from consultations.tests.attendance_testing import make_session, representatives_meeting
from consultations.tests.polls_testing import open_motion_poll, seated_meeting, user_of
from villagegov.models import Person, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


def url(session: Session, *, village_code: str | None = None) -> str:
    return reverse("session_hall", args=[village_code or session.council.village.admin_code, session.pk])


def test_the_hall_shows_the_session_quorum_and_check_in_code(
    village: Village, official_client: Client
) -> None:
    session = make_session(representatives_meeting(village), state=SessionState.OPEN)
    response = official_client.get(url(session))
    assert response.status_code == 200
    html = response.content.decode()
    assert session.title in html
    assert "data-live-root" in html and f"/ws/v/{village.admin_code}/sessions/{session.pk}/" in html
    assert "?view=hall" in html
    assert "<svg" in html and "Scan to check in" in html and "QR code to check in" in html
    assert "Attendance" in html and "quorum not met" in html
    assert "site-nav" not in html  # no navigation on the projector


def test_the_hall_shows_the_current_speaker_with_a_countdown(village: Village) -> None:
    meeting = seated_meeting(village, members=3)
    poll = open_motion_poll(meeting)
    SpeakerRequest.objects.create(
        item=poll.item,
        person=meeting.members[1],
        requested_at=timezone.now(),
        state=SpeakerState.SPEAKING,
        started_at=timezone.now() - timedelta(seconds=30),
    )
    html = client_for(meeting.chair).get(url(meeting.session)).content.decode()
    assert meeting.members[1].name in html and "data-deadline=" in html
    assert f'data-poll-progress="{poll.pk}"' in html  # the vote under way, with its progress
    assert "have voted" in html


def test_after_the_vote_the_hall_shows_the_result_as_a_chart_with_numbers(village: Village) -> None:
    meeting = seated_meeting(village, members=3)
    poll = open_motion_poll(meeting)
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    for member in meeting.members:
        ballot_cast(actor=user_of(member), poll=poll, choices=[yes])
    poll_close(actor=meeting.chair_user, poll=poll)
    screen = hall_screen(meeting.session)
    assert screen["progress"] is None and screen["latest"].pk == poll.pk
    chart = result_chart(screen["latest"])
    assert next(bar["count"] for bar in chart["bars"]) == 3
    html = client_for(meeting.chair).get(url(meeting.session)).content.decode()
    assert 'class="hall-chart"' in html and "passed" in html
    assert ">3</text>" in html


def test_a_resident_may_not_open_the_hall_screen(village: Village, resident_client: Client) -> None:
    session = make_session(representatives_meeting(village), state=SessionState.OPEN)
    assert resident_client.get(url(session)).status_code == 403


def test_another_village_gets_not_found(village: Village, outsider: Person, outsider_client: Client) -> None:
    session = make_session(representatives_meeting(village), state=SessionState.OPEN)
    assert outsider_client.get(url(session)).status_code == 404
    assert outsider_client.get(url(session, village_code=outsider.village.admin_code)).status_code == 404


def test_anonymous_is_sent_to_log_in(village: Village) -> None:
    session = make_session(representatives_meeting(village), state=SessionState.OPEN)
    response = Client().get(url(session))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_closed_session_shows_no_check_in_code(village: Village, official_client: Client) -> None:
    session = make_session(representatives_meeting(village), state=SessionState.CLOSED)
    html = official_client.get(url(session)).content.decode()
    assert session.join_code not in html and "The session is closed." in html
