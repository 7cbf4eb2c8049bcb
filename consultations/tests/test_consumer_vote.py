"""Votes over the live socket: acknowledged after the commit, idempotent by the client's id,
refused in the voter's language, confined to the socket's session."""

from dataclasses import dataclass
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import translation
from django.utils.translation import gettext

from consultations.models import Answer, Ballot, Poll, PollOption, PollVoter
from consultations.services.polls import poll_close
from consultations.tests.live_testing import connected, fresh_channel_layer, socket_headers, socket_path
from consultations.tests.polls_testing import open_motion_poll, seated_meeting
from villagegov.models import Person, Village
from villagegov.testing import make_village

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@dataclass
class Vote:
    poll: Poll
    yes: int
    no: int
    voter: Person
    latecomer: Person
    path: str


@pytest.fixture
def vote(village: Village) -> Vote:
    fresh_channel_layer()
    meeting = seated_meeting(village, members=4)
    poll = open_motion_poll(meeting, present=3)  # the fourth member arrives after it opened
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    no = PollOption.objects.get(poll=poll, answer=Answer.NO).pk
    return Vote(poll, yes, no, meeting.members[1], meeting.members[3], socket_path(meeting.session))


def ballots(poll: Poll) -> list[list[int]]:
    return list(Ballot.objects.filter(poll=poll).values_list("choices", flat=True))


async def test_the_snapshot_shows_the_open_poll_and_whether_i_voted(vote: Vote) -> None:
    headers = await database_sync_to_async(socket_headers)(vote.voter)
    communicator, snapshot = await connected(vote.path, headers)
    poll = snapshot["open_poll"]
    assert poll["id"] == vote.poll.pk and poll["has_voted"] is False and poll["entitled_to_vote"] is True
    assert poll["voted"] == 0 and poll["entitled"] == 3
    assert {option["id"] for option in poll["options"]} >= {vote.yes, vote.no}
    await communicator.disconnect()


async def test_a_vote_is_acknowledged_after_it_is_committed(vote: Vote) -> None:
    headers = await database_sync_to_async(socket_headers)(vote.voter)
    communicator, _ = await connected(vote.path, headers)
    await communicator.send_json_to(
        {"type": "vote", "poll": vote.poll.pk, "choices": [vote.yes], "client_id": "phone-1"}
    )
    ack = await communicator.receive_json_from(timeout=3)
    assert ack == {"type": "ack", "client_id": "phone-1", "poll": vote.poll.pk, "duplicate": False}
    # Acknowledged means committed: another connection sees it.
    assert await database_sync_to_async(ballots)(vote.poll) == [[vote.yes]]
    voted = await database_sync_to_async(
        lambda: PollVoter.objects.get(poll=vote.poll, person=vote.voter).has_voted
    )()
    assert voted
    await communicator.disconnect()


async def test_a_resend_with_the_same_client_id_makes_one_ballot_and_a_duplicate_ack(vote: Vote) -> None:
    headers = await database_sync_to_async(socket_headers)(vote.voter)
    message = {"type": "vote", "poll": vote.poll.pk, "choices": [vote.yes], "client_id": "same-id"}
    first, _ = await connected(vote.path, headers)
    await first.send_json_to(message)
    assert (await answer_to_the_vote(first))["duplicate"] is False
    await first.disconnect()
    # The ack was lost with the connection: the client resends on its new socket.
    second, snapshot = await connected(vote.path, headers)
    assert snapshot["open_poll"]["has_voted"] is True
    await second.send_json_to(message)
    # The first ballot's coalesced progress may reach the new socket before the answer.
    ack = await answer_to_the_vote(second)
    assert ack == {"type": "ack", "client_id": "same-id", "poll": vote.poll.pk, "duplicate": True}
    assert await database_sync_to_async(ballots)(vote.poll) == [[vote.yes]]
    await second.disconnect()


async def answer_to_the_vote(communicator: WebsocketCommunicator) -> dict[str, Any]:
    """The next ack or error, past the session's events and the (coalesced, late) progress."""
    while (message := await communicator.receive_json_from(timeout=3)).get("type") in (
        "event",
        "poll.progress",
    ):
        pass
    return message


async def test_a_resend_after_the_close_is_acknowledged_as_a_duplicate(vote: Vote) -> None:
    headers = await database_sync_to_async(socket_headers)(vote.voter)
    message = {"type": "vote", "poll": vote.poll.pk, "choices": [vote.yes], "client_id": "before-close"}
    first, _ = await connected(vote.path, headers)
    await first.send_json_to(message)
    assert (await answer_to_the_vote(first))["duplicate"] is False
    await first.disconnect()

    def close() -> None:
        chair = vote.poll.item.session.chair
        assert chair is not None and chair.user is not None
        poll_close(actor=chair.user, poll=vote.poll)

    await database_sync_to_async(close)()
    # The ack was lost and the poll closed meanwhile: the resend is told its ballot counted.
    second, _ = await connected(vote.path, headers)
    await second.send_json_to(message)
    answer = await answer_to_the_vote(second)
    assert answer == {"type": "ack", "client_id": "before-close", "poll": vote.poll.pk, "duplicate": True}
    await second.send_json_to(message | {"client_id": "after-close"})
    refused = await answer_to_the_vote(second)
    assert refused["type"] == "error" and refused["code"] == "refused"
    assert await database_sync_to_async(ballots)(vote.poll) == [[vote.yes]]
    await second.disconnect()


async def test_a_refused_vote_is_explained_in_the_voters_language(vote: Vote) -> None:
    headers = await database_sync_to_async(socket_headers)(vote.latecomer, language="en")
    communicator, _ = await connected(vote.path, headers)
    await communicator.send_json_to(
        {"type": "vote", "poll": vote.poll.pk, "choices": [vote.yes], "client_id": "late"}
    )
    error = await communicator.receive_json_from(timeout=3)
    assert error["type"] == "error" and error["code"] == "refused" and error["client_id"] == "late"
    assert "not on its voter roll" in error["message"]
    assert await database_sync_to_async(ballots)(vote.poll) == []
    await communicator.disconnect()


async def test_a_refusal_is_in_chinese_by_default(vote: Vote) -> None:
    headers = await database_sync_to_async(socket_headers)(vote.latecomer)
    communicator, snapshot = await connected(vote.path, headers)
    assert snapshot["language"] == "zh-hans"
    await communicator.send_json_to(
        {"type": "vote", "poll": vote.poll.pk, "choices": [vote.yes], "client_id": "late"}
    )
    error = await communicator.receive_json_from(timeout=3)
    assert error["code"] == "refused"
    with translation.override("zh-hans"):
        expected = gettext("You were not present when this vote opened, so you are not on its voter roll.")
    assert error["message"] == expected
    await communicator.disconnect()


async def test_accept_language_chooses_english_without_a_cookie(vote: Vote) -> None:
    headers = await database_sync_to_async(socket_headers)(vote.voter)
    headers.append((b"accept-language", b"en-GB,en;q=0.8"))
    communicator, snapshot = await connected(vote.path, headers)
    assert snapshot["language"] == "en"
    await communicator.disconnect()


async def test_a_poll_of_another_session_is_not_found(vote: Vote) -> None:
    def elsewhere() -> Poll:
        return open_motion_poll(seated_meeting(make_village(name="远村"), members=2))

    other = await database_sync_to_async(elsewhere)()
    headers = await database_sync_to_async(socket_headers)(vote.voter)
    communicator, _ = await connected(vote.path, headers)
    await communicator.send_json_to({"type": "vote", "poll": other.pk, "choices": [1], "client_id": "x"})
    error = await communicator.receive_json_from(timeout=3)
    assert error["type"] == "error" and error["code"] == "not_found" and error["client_id"] == "x"
    assert await database_sync_to_async(lambda: Ballot.objects.count())() == 0
    await communicator.disconnect()


async def test_a_proxy_ballot_for_someone_of_another_village_is_not_found(
    vote: Vote, outsider: Person
) -> None:
    headers = await database_sync_to_async(socket_headers)(vote.voter)
    communicator, _ = await connected(vote.path, headers)
    await communicator.send_json_to(
        {
            "type": "vote",
            "poll": vote.poll.pk,
            "choices": [vote.yes],
            "client_id": "p",
            "for_person": outsider.pk,
        }
    )
    error = await communicator.receive_json_from(timeout=3)
    assert error["code"] == "not_found" and error["client_id"] == "p"
    assert await database_sync_to_async(ballots)(vote.poll) == []
    await communicator.disconnect()
