"""The live socket lets in the session's village and nobody else, and starts with a snapshot."""

from dataclasses import dataclass

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from consultations import events
from consultations.events import session_group
from consultations.models import AgendaItem, Session, SessionState
from consultations.services.agenda import agenda_item_finish
from consultations.tests.attendance_testing import make_session
from consultations.tests.live_testing import (
    connected,
    fresh_channel_layer,
    refusal_code,
    socket_headers,
    socket_path,
)
from consultations.tests.polls_testing import Meeting, current_motion, seated_meeting, user_of
from villagegov.models import Person, Village
from villagegov.testing import make_person, make_village

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@dataclass
class Scene:
    meeting: Meeting
    member: Person
    headers: list[tuple[bytes, bytes]]
    path: str


@pytest.fixture
def scene(village: Village) -> Scene:
    fresh_channel_layer()
    meeting = seated_meeting(village, members=3)
    current_motion(meeting)
    member = meeting.members[1]
    return Scene(meeting, member, socket_headers(member), socket_path(meeting.session))


async def test_a_member_gets_a_snapshot_with_the_sequence_number_on_connect(scene: Scene) -> None:
    communicator, snapshot = await connected(scene.path, scene.headers)
    session = scene.meeting.session
    assert snapshot["seq"] == 0
    assert snapshot["session"] == {"id": session.pk, "title": session.title, "state": "open"}
    assert [item["kind"] for item in snapshot["agenda"]] == ["motion"]
    assert snapshot["current_item"] == snapshot["agenda"][0]["id"]
    assert snapshot["quorum"]["attendees"] == 0 and snapshot["quorum"]["met"] is False
    assert snapshot["open_poll"] is None and snapshot["closed_polls"] == []
    await communicator.disconnect()


async def test_an_event_from_a_service_arrives_with_the_next_sequence_number(scene: Scene) -> None:
    communicator, snapshot = await connected(scene.path, scene.headers)
    chair = user_of(scene.meeting.chair)
    item = await database_sync_to_async(AgendaItem.objects.get)(pk=snapshot["current_item"])
    await database_sync_to_async(agenda_item_finish)(actor=chair, item=item)
    message = await communicator.receive_json_from(timeout=3)
    assert message == {
        "type": "event",
        "event": {"type": "item.current", "seq": snapshot["seq"] + 1, "data": {"item": None}},
    }
    await communicator.disconnect()


async def test_after_a_gap_resync_gives_a_snapshot_with_the_current_sequence_number(scene: Scene) -> None:
    communicator, snapshot = await connected(scene.path, scene.headers)
    chair = user_of(scene.meeting.chair)
    item = await database_sync_to_async(AgendaItem.objects.get)(pk=snapshot["current_item"])
    await database_sync_to_async(agenda_item_finish)(actor=chair, item=item)
    await communicator.receive_json_from(timeout=3)  # the event this client "missed"
    await communicator.send_json_to({"type": "resync"})
    again = await communicator.receive_json_from(timeout=3)
    stored = await database_sync_to_async(lambda: Session.objects.get(pk=scene.meeting.session.pk).live_seq)()
    assert again["type"] == "snapshot"
    assert again["seq"] == stored == snapshot["seq"] + 1
    assert again["current_item"] is None
    await communicator.disconnect()


async def test_an_anonymous_visitor_is_refused(scene: Scene) -> None:
    assert await refusal_code(scene.path, socket_headers(None)) == 4401


async def test_someone_of_another_village_is_refused(scene: Scene, outsider: Person) -> None:
    headers = await database_sync_to_async(socket_headers)(outsider)
    assert await refusal_code(scene.path, headers) == 4403


async def test_another_villages_session_under_ones_own_village_is_not_found(
    scene: Scene, outsider: Person
) -> None:
    headers = await database_sync_to_async(socket_headers)(outsider)
    path = socket_path(scene.meeting.session, village_code=outsider.village.admin_code)
    assert await refusal_code(path, headers) == 4404


async def test_an_unknown_session_is_not_found(scene: Scene) -> None:
    path = f"/ws/v/{scene.meeting.village.admin_code}/sessions/987654/"
    assert await refusal_code(path, scene.headers) == 4404


async def test_a_foreign_origin_is_refused_at_the_handshake(scene: Scene) -> None:
    headers = socket_headers_with_origin(scene, b"https://evil.example")
    assert await refusal_code(scene.path, headers) is None


async def test_no_origin_is_refused_at_the_handshake(scene: Scene) -> None:
    headers = [header for header in scene.headers if header[0] != b"origin"]
    assert await refusal_code(scene.path, headers) is None


async def test_a_draft_is_refused_to_a_resident_but_shown_to_an_official(village: Village) -> None:
    fresh_channel_layer()

    def build() -> tuple[str, list[tuple[bytes, bytes]], list[tuple[bytes, bytes]]]:
        meeting = seated_meeting(make_village(name="新围村"), members=2)
        draft = make_session(meeting.council, state=SessionState.DRAFT, chair=meeting.chair)
        resident = make_person(meeting.village, with_account=True)
        return socket_path(draft), socket_headers(resident), socket_headers(meeting.chair)

    path, resident_headers, chair_headers = await database_sync_to_async(build)()
    assert await refusal_code(path, resident_headers) == 4404
    communicator, snapshot = await connected(path, chair_headers)
    assert snapshot["session"]["state"] == "draft"
    await communicator.disconnect()


async def test_each_socket_counts_as_a_progress_listener_until_it_goes(scene: Scene) -> None:
    """The progress interval grows with the sockets listening (events.progress_interval): each
    socket counts while connected, whichever way it leaves."""
    session_id = scene.meeting.session.pk
    first, _ = await connected(scene.path, scene.headers)
    second, _ = await connected(scene.path, scene.headers)
    assert events._listeners()[session_id] == 2
    await first.disconnect()
    assert events._listeners()[session_id] == 1
    for _ in range(31):  # a flood: closed by the server
        await second.send_json_to({"type": "ping"})
    await second.disconnect()
    assert session_id not in events._listeners()
    assert await refusal_code(scene.path, socket_headers(None)) == 4401
    assert session_id not in events._listeners()


def socket_headers_with_origin(scene: Scene, origin: bytes) -> list[tuple[bytes, bytes]]:
    return [(name, origin if name == b"origin" else value) for name, value in scene.headers]


async def test_no_message_hops_through_the_database_thread_only_to_close_connections(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Channels closes old database connections before each handler, through the one database
    thread; neither a broadcast to every socket nor a vote in a storm may queue there for it
    (docs/performance.md: the close's time, the acks)."""
    communicator, snapshot = await connected(scene.path, scene.headers)
    calls: list[str] = []

    async def counted() -> None:
        calls.append("close_old_connections")

    monkeypatch.setattr("channels.consumer.aclose_old_connections", counted)
    layer = get_channel_layer()
    assert layer is not None
    group = session_group(scene.meeting.session.pk)
    event = {"type": "item.current", "seq": snapshot["seq"] + 1, "data": {"item": None}}
    await layer.group_send(group, {"type": "session.event", "event": event})
    assert await communicator.receive_json_from(timeout=3) == {"type": "event", "event": event}
    progress = {"type": "poll.progress", "poll": 1, "voted": 2, "entitled": 3}
    await layer.group_send(
        session_group(scene.meeting.session.pk), {"type": "session.progress", "progress": progress}
    )
    assert await communicator.receive_json_from(timeout=3) == progress
    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from(timeout=3) == {"type": "pong"}
    # A snapshot reads the database: through database_sync_to_async, which closes old
    # connections in the database thread itself.
    await communicator.send_json_to({"type": "resync"})
    assert (await communicator.receive_json_from(timeout=3))["type"] == "snapshot"
    assert calls == []
    await communicator.disconnect()


# Django's async ORM methods (`await Model.objects.aget()`) run through plain sync_to_async, which
# does not close old connections; the consumer skips Channels' close before each handler, so it
# must reach the database only through database_sync_to_async.
ASYNC_ORM_METHODS = frozenset(
    {"aget", "afirst", "alast", "acreate", "aget_or_create", "aupdate_or_create", "abulk_create",
     "abulk_update", "acount", "aexists", "aupdate", "adelete", "asave", "arefresh_from_db",
     "aiterator", "aaggregate", "ain_bulk", "acontains", "aearliest", "alatest", "aexplain"}
)  # fmt: skip


async def test_the_consumer_reaches_the_database_only_through_database_sync_to_async() -> None:
    import ast
    import inspect

    from consultations import consumers

    tree = ast.parse(inspect.getsource(consumers))
    async_orm = [
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ASYNC_ORM_METHODS
    ]
    plain_hops = [
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "sync_to_async"
    ]
    assert async_orm == [] and plain_hops == []
    assert "database_sync_to_async" in {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
