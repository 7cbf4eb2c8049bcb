"""Whatever a client sends, the socket answers and nothing changes: malformed messages, wrong
types, huge numbers, oversized frames; and a client that floods it is told so and closed."""

import json
from dataclasses import dataclass
from typing import Any

import pytest
from channels.db import database_sync_to_async

from consultations.models import Answer, Ballot, Poll, PollOption, PollVoter
from consultations.tests.live_testing import (
    connected,
    fresh_channel_layer,
    send_message,
    send_raw,
    socket_headers,
    socket_path,
)
from consultations.tests.polls_testing import open_motion_poll, seated_meeting
from villagegov.models import AuditRecord, Village

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@dataclass
class Scene:
    poll: Poll
    yes: int
    path: str
    headers: list[tuple[bytes, bytes]]


@pytest.fixture
def scene(village: Village) -> Scene:
    fresh_channel_layer()
    meeting = seated_meeting(village, members=3)
    poll = open_motion_poll(meeting)
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    return Scene(poll, yes, socket_path(meeting.session), socket_headers(meeting.members[1]))


def state() -> tuple[int, int, int]:
    return (
        Ballot.objects.count(),
        PollVoter.objects.filter(has_voted=True).count(),
        AuditRecord.objects.count(),
    )


def malformed(poll: int, yes: int) -> list[Any]:
    vote = {"type": "vote", "poll": poll, "choices": [yes], "client_id": "c1"}
    return [
        "not json",
        "{",
        "[]",
        "42",
        '"vote"',
        "null",
        "{}",
        {"type": "launch"},
        {"type": 7},
        {"type": None},
        vote | {"poll": True},
        vote | {"poll": "1"},
        vote | {"poll": 10**30},
        vote | {"poll": -1},
        vote | {"poll": 0},
        vote | {"poll": 1.5},
        vote | {"choices": yes},
        vote | {"choices": []},
        vote | {"choices": [True]},
        vote | {"choices": [str(yes)]},
        vote | {"choices": [10**30]},
        vote | {"choices": [yes] * 101},
        vote | {"client_id": ""},
        vote | {"client_id": "x" * 65},
        vote | {"client_id": 12},
        vote | {"client_id": "has space"},
        {k: v for k, v in vote.items() if k != "client_id"},
        {k: v for k, v in vote.items() if k != "choices"},
        "[" * 5000,
    ]


async def test_every_malformed_message_gets_bad_message_and_changes_nothing(scene: Scene) -> None:
    communicator, _ = await connected(scene.path, scene.headers)
    before = await database_sync_to_async(state)()
    for message in malformed(scene.poll.pk, scene.yes)[:25]:
        text = message if isinstance(message, str) else json.dumps(message)
        answer = await send_raw(communicator, text)
        assert answer["type"] == "error" and answer["code"] == "bad_message", (message, answer)
        assert answer["message"]
        assert "Traceback" not in json.dumps(answer)
    assert await database_sync_to_async(state)() == before
    # The socket is still in service.
    assert await send_message(communicator, {"type": "ping"}) == {"type": "pong"}
    await communicator.disconnect()


async def test_the_rest_of_the_malformed_messages_too(scene: Scene) -> None:
    communicator, _ = await connected(scene.path, scene.headers)
    before = await database_sync_to_async(state)()
    for message in malformed(scene.poll.pk, scene.yes)[25:]:
        text = message if isinstance(message, str) else json.dumps(message)
        answer = await send_raw(communicator, text)
        assert answer["code"] == "bad_message", (message, answer)
    assert await database_sync_to_async(state)() == before
    await communicator.disconnect()


async def test_a_frame_over_4_kb_is_refused_unread(scene: Scene) -> None:
    communicator, _ = await connected(scene.path, scene.headers)
    big = json.dumps({"type": "vote", "poll": scene.poll.pk, "choices": [scene.yes], "client_id": "a" * 5000})
    assert (await send_raw(communicator, big))["code"] == "bad_message"
    await communicator.send_to(bytes_data=b'{"type": "ping"}')
    assert (await communicator.receive_json_from(timeout=3))["code"] == "bad_message"
    await communicator.disconnect()


async def test_ping_is_answered_with_pong(scene: Scene) -> None:
    communicator, _ = await connected(scene.path, scene.headers)
    assert await send_message(communicator, {"type": "ping"}) == {"type": "pong"}
    await communicator.disconnect()


async def test_a_flood_is_told_too_many_and_closed(scene: Scene) -> None:
    communicator, _ = await connected(scene.path, scene.headers)
    for _ in range(30):
        assert await send_message(communicator, {"type": "ping"}) == {"type": "pong"}
    answer = await send_message(communicator, {"type": "ping"})
    assert answer["type"] == "error" and answer["code"] == "too_many"
    closed = await communicator.receive_output(timeout=3)
    assert closed == {"type": "websocket.close", "code": 4429}
    await communicator.disconnect()
