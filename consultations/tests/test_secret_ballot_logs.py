"""No log line links a secret voter to a choice: every logger captured at DEBUG while members
vote secretly through the poll page and through the live socket, and the vote closes. With the
settings a server runs with (DEBUG off) the SQL is not logged at all: the roll's update and the
intake's insert would sit next to each other there."""

import logging
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.db import connection
from django.urls import reverse

from consultations.models import Answer, Poll, PollOption
from consultations.services.polls import poll_close
from consultations.tests.live_testing import connected, fresh_channel_layer, socket_headers, socket_path
from consultations.tests.polls_testing import Meeting, open_motion_poll, seated_meeting
from villagegov.models import Person
from villagegov.testing import client_for, make_village

VOTERS = 6


def choice_marks(poll: Poll) -> list[str]:
    """How a choice could be written in a log: the options' labels and their ids as chosen."""
    options = PollOption.objects.filter(poll=poll)
    return [option.label for option in options] + [f"[{option.pk}]" for option in options] + ["choice"]


def voter_marks(person: Person) -> list[str]:
    assert person.user is not None
    return [person.name, person.user.username, f"person {person.pk}", f"voter {person.pk}"]


def record_text(record: logging.LogRecord) -> str:
    return " ".join([record.getMessage(), repr(record.args), record.exc_text or "", repr(record.__dict__)])


def assert_no_link(records: list[logging.LogRecord], people: list[Person], choices: list[str]) -> None:
    for record in records:
        text = record_text(record)
        named = [mark for person in people for mark in voter_marks(person) if mark in text]
        chosen = [mark for mark in choices if mark in text]
        assert not (named and chosen), (record.name, named, chosen, text[:300])
    assert not [record for record in records if record.name.startswith("django.db.backends")]


def capture_everything(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("django", "django.db.backends", "django.request", "consultations", "villagegov", "channels"):
        caplog.set_level(logging.DEBUG, logger=name)


def vote_through_the_page(meeting: Meeting, poll: Poll) -> None:
    options = [o.pk for o in PollOption.objects.filter(poll=poll).order_by("position")]
    url = reverse("poll_vote", args=[meeting.village.admin_code, meeting.session.pk, poll.pk])
    for index, member in enumerate(meeting.members):
        response = client_for(member).post(url, {"choices": options[index % 3], "client_id": f"page-{index}"})
        assert response.status_code == 302
    poll_close(actor=meeting.chair_user, poll=poll)


@pytest.mark.django_db
def test_voting_through_the_page_logs_no_link(caplog: pytest.LogCaptureFixture) -> None:
    meeting = seated_meeting(make_village(), members=VOTERS)
    poll = open_motion_poll(meeting, secret=True)
    capture_everything(caplog)
    vote_through_the_page(meeting, poll)
    assert_no_link(caplog.records, meeting.members, choice_marks(poll))


@pytest.mark.django_db
def test_the_capture_would_see_the_sql_were_it_logged(caplog: pytest.LogCaptureFixture) -> None:
    """The control: with SQL logging on (what DEBUG does) the same votes fill the capture with the
    database's statements, the intake's inserts among them, and the check refuses such a log."""
    meeting = seated_meeting(make_village(), members=VOTERS)
    poll = open_motion_poll(meeting, secret=True)
    capture_everything(caplog)
    connection.force_debug_cursor = True
    try:
        vote_through_the_page(meeting, poll)
    finally:
        connection.force_debug_cursor = False
    statements = [r.getMessage() for r in caplog.records if r.name == "django.db.backends"]
    assert any("consultations_ballotintake" in statement for statement in statements)
    with pytest.raises(AssertionError):
        assert_no_link(caplog.records, meeting.members, choice_marks(poll))


async def vote_over_the_socket(meeting: Meeting, poll: Poll, member: Person, option: int, index: int) -> None:
    headers = await database_sync_to_async(socket_headers)(member)
    communicator, _snapshot = await connected(socket_path(meeting.session), headers)
    await communicator.send_json_to(
        {"type": "vote", "poll": poll.pk, "choices": [option], "client_id": f"ws-{index}"}
    )
    while (answer := await communicator.receive_json_from(timeout=3)).get("type") in (
        "event",
        "poll.progress",
    ):
        pass
    assert answer["type"] == "ack", answer
    await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_voting_over_the_live_socket_logs_no_link(caplog: pytest.LogCaptureFixture) -> None:
    fresh_channel_layer()

    def build() -> tuple[Meeting, Poll, list[int], list[str]]:
        meeting = seated_meeting(make_village(), members=VOTERS)
        poll = open_motion_poll(meeting, secret=True)
        options = [
            o.pk for o in PollOption.objects.filter(poll=poll, answer__in=list(Answer)).order_by("position")
        ]
        return meeting, poll, options, choice_marks(poll)

    meeting, poll, options, marks = await database_sync_to_async(build)()
    capture_everything(caplog)
    for index, member in enumerate(meeting.members):
        await vote_over_the_socket(meeting, poll, member, options[index % 3], index)
    await database_sync_to_async(poll_close)(actor=meeting.chair_user, poll=poll)
    records: list[Any] = list(caplog.records)
    assert_no_link(records, meeting.members, marks)
