"""The hall's projector screen: title, current item, speaker and timer, quorum, the vote's
progress or its result as a chart, and the check-in QR code, for those who keep attendance."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.models import (
    Answer,
    Poll,
    PollOption,
    PollState,
    Session,
    SessionState,
    SpeakerRequest,
    SpeakerState,
    WrittenProxy,
)
from consultations.selectors.attendance import session_quorum
from consultations.selectors.live import attendance_counts, hall_screen, result_chart
from consultations.selectors.polls import ResultBar
from consultations.services.polls import ballot_cast, poll_close
from consultations.tests.attendance_testing import make_session, representatives_meeting
from consultations.tests.polls_testing import (
    bare_poll,
    check_in,
    members_assembly_meeting,
    open_motion_poll,
    seated_meeting,
    user_of,
)
from villagegov.models import Basis, Counted, Person, Village
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
    assert next(bar["count"] for bar in screen["chart"]["bars"]) == 3
    assert screen["verdict"] == {"kind": "motion", "passed": True}
    html = client_for(meeting.chair).get(url(meeting.session)).content.decode()
    assert 'class="hall-chart"' in html and ">3</text>" in html
    assert '<span class="badge badge-ok">passed</span>' in html and "not passed" not in html


def closed(poll: Poll, *, passed: bool | None, counts: dict[int, int], elected: tuple[int, ...] = ()) -> Poll:
    """Close `poll` straight in the database with these counts (option id → votes)."""
    now = timezone.now()
    poll.state = PollState.CLOSED
    poll.opened_at = now - timedelta(minutes=5)
    poll.closed_at = now
    poll.counts = {str(option): votes for option, votes in counts.items()}
    poll.votes_cast = sum(counts.values())
    poll.entitled_count = poll.votes_cast
    poll.totals = {basis.value: poll.votes_cast for basis in Basis}  # as frozen at the opening
    poll.passed = passed
    poll.save()
    PollOption.objects.filter(pk__in=elected).update(elected=True)
    return poll


def hall_result(poll: Poll, official_client: Client) -> str:
    """The result block of the hall's screen."""
    response = official_client.get(url(poll.item.session))
    assert response.status_code == 200
    return response.content.decode().split('class="hall-result"', 1)[1].split("</svg>", 1)[0]


def test_a_motion_that_failed_shows_not_passed(village: Village, official_client: Client) -> None:
    poll = bare_poll(representatives_meeting(village))
    yes, no, abstain = PollOption.objects.filter(poll=poll).order_by("position")
    closed(poll, passed=False, counts={yes.pk: 1, no.pk: 4, abstain.pk: 0})
    html = hall_result(poll, official_client)
    assert '<span class="badge badge-bad">not passed</span>' in html
    assert 'data-verdict="motion"' in html and "badge-ok" not in html


def test_an_election_names_who_was_elected_and_marks_them_on_the_chart(
    village: Village, official_client: Client
) -> None:
    poll = bare_poll(representatives_meeting(village), candidates=3, seats=1)
    first, second, third = PollOption.objects.filter(poll=poll).order_by("position")
    closed(poll, passed=True, counts={first.pk: 2, second.pk: 9, third.pk: 1}, elected=(second.pk,))
    screen = hall_screen(poll.item.session)
    assert screen["verdict"] == {"kind": "election", "elected": [second.label]}
    assert [bar["elected"] for bar in screen["chart"]["bars"]] == [False, True, False]
    html = hall_result(poll, official_client)
    assert f'<span class="badge badge-ok">elected</span> {second.label}' in html
    assert f"✓ {second.label}</text>" in html and f"✓ {first.label}" not in html
    assert "passed" not in html  # an election is not "passed"


def test_an_election_that_elected_no_one_says_so(village: Village, official_client: Client) -> None:
    poll = bare_poll(representatives_meeting(village), candidates=2, seats=1)
    first, second = PollOption.objects.filter(poll=poll).order_by("position")
    closed(poll, passed=False, counts={first.pk: 3, second.pk: 3})
    html = hall_result(poll, official_client)
    assert '<span class="badge badge-bad">not elected</span> No one was elected.' in html
    assert "✓" not in html and "passed" not in html


def test_an_advisory_result_says_it_is_advice_without_a_verdict(
    village: Village, official_client: Client
) -> None:
    poll = bare_poll(representatives_meeting(village))
    yes, no, abstain = PollOption.objects.filter(poll=poll).order_by("position")
    closed(poll, passed=None, counts={yes.pk: 5, no.pk: 1, abstain.pk: 0})
    html = hall_result(poll, official_client)
    assert '<span class="badge badge-warn">advisory</span> This result is advice: it decides nothing.' in html
    assert "passed" not in html and "elected" not in html


def test_the_chart_is_laid_out_from_the_result_bars() -> None:
    chart = result_chart(
        [ResultBar(label="甲", votes=10, max=10, elected=True), ResultBar(label="乙", votes=5, max=10)]
    )
    first, second = chart["bars"]
    assert (first["count"], first["elected"], second["count"], second["elected"]) == (10, True, 5, False)
    assert first["width"] == 2 * second["width"]
    assert result_chart([])["bars"] == []


def test_the_next_speakers_are_separated_in_the_pages_language(village: Village) -> None:
    meeting = seated_meeting(village, members=4)
    poll = open_motion_poll(meeting)
    for person in meeting.members[1:3]:
        SpeakerRequest.objects.create(
            item=poll.item, person=person, requested_at=timezone.now(), state=SpeakerState.WAITING
        )
    html = client_for(meeting.chair).get(url(meeting.session)).content.decode()
    assert f"{meeting.members[1].name}, {meeting.members[2].name}" in html and "、" not in html


def test_the_hall_counts_an_assemblys_written_proxies_as_the_quorum_does(village: Village) -> None:
    meeting = members_assembly_meeting(village, members=4)
    chair, present, absent, _ = meeting.members
    check_in(meeting.session, chair, present)
    WrittenProxy.objects.create(
        session=meeting.session,
        grantor=absent,
        holder=present,
        document="村委会档案柜",
        recorded_by=meeting.chair_user,
        recorded_at=timezone.now(),
    )
    figures = {f.threshold.counted: f.count for f in session_quorum(meeting.session).figures}
    counts = attendance_counts(meeting.session)
    assert counts["attendees"] == figures[Counted.ATTENDEES.value] == 3  # two present, one by proxy
    assert hall_screen(meeting.session)["quorum"]["attendees"] == 3


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
