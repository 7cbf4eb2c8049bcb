"""Live events of a session, and the one place that sends them.

Services call `session_event_send` inside their transaction: it takes the session's next
sequence number there (so numbers follow the commits' order) and broadcasts after the commit.
The socket only says "something changed"; the database stays the truth (docs/live-protocol.md).

Poll progress (how many have voted) is not sequenced: `poll_progress_touch` coalesces it, so a
storm of ballots costs a few broadcasts a second, not one per ballot.
"""

import asyncio
import contextlib
import contextvars
import logging
import threading
import weakref
from collections.abc import Iterator, Mapping
from enum import StrEnum
from typing import Any, Literal, NotRequired, TypedDict

from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from consultations.models import Session

logger = logging.getLogger(__name__)


class EventType(StrEnum):
    SESSION_STATE = "session.state"
    AGENDA_CHANGED = "agenda.changed"
    ITEM_CURRENT = "item.current"
    ATTENDANCE_CHANGED = "attendance.changed"
    SPEAKERS_CHANGED = "speakers.changed"
    COMMENTS_CHANGED = "comments.changed"
    POLL_OPENED = "poll.opened"
    POLL_CLOSED = "poll.closed"
    POLL_PROGRESS = "poll.progress"


# The payloads (`data`) of each event type. Small and JSON-serialisable: ids, states, counts.
# Never a secret choice, never a name a page would not show to every member.


class SessionStateData(TypedDict):
    state: Literal["draft", "announced", "open", "closed"]


class AgendaChangedData(TypedDict):
    item: NotRequired[int]  # the item added, moved or edited, if one


class ItemCurrentData(TypedDict):
    item: int | None  # the item now under way, None when none is


class AttendanceChangedData(TypedDict):
    attendees: int
    households: int


class SpeakersChangedData(TypedDict):
    item: int


class CommentsChangedData(TypedDict):
    item: int


class PollOpenedData(TypedDict):
    poll: int
    item: NotRequired[int]


class PollClosedData(TypedDict):
    poll: int
    passed: NotRequired[bool | None]
    votes_cast: NotRequired[int | None]
    counts: NotRequired[dict[str, int]]  # option id → votes, only once the poll is closed


class PollProgressData(TypedDict):
    poll: int
    voted: int
    entitled: int


EventData = (
    SessionStateData
    | AgendaChangedData
    | ItemCurrentData
    | AttendanceChangedData
    | SpeakersChangedData
    | CommentsChangedData
    | PollOpenedData
    | PollClosedData
    | PollProgressData
)


class Event(TypedDict):
    """What a client receives inside {"type": "event", "event": ...}."""

    type: str
    seq: int
    data: Mapping[str, object]


class SessionEventMessage(TypedDict):
    """The channel-layer message of a sequenced event (handled by SessionConsumer.session_event)."""

    type: Literal["session.event"]
    event: Event


class ProgressMessage(TypedDict):
    """The channel-layer message of poll progress (SessionConsumer.session_progress)."""

    type: Literal["session.progress"]
    progress: PollProgressData


def session_group(session_id: int) -> str:
    return f"session-{session_id}"


def _group_send(session_id: int, message: Mapping[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(session_group(session_id), dict(message))
    except Exception:  # The socket is at-most-once: a lost broadcast is healed by the next snapshot.
        logger.exception("live broadcast to session %s failed", session_id)


def group_send_after_commit(session_id: int, message: Mapping[str, Any]) -> None:
    transaction.on_commit(lambda: _group_send(session_id, message))


def session_event_send(*, session: Session, type: EventType, data: Mapping[str, object]) -> int:
    """Number the event with the session's next sequence number and broadcast it after the commit.
    Call inside the service's transaction; returns the number."""
    Session.objects.filter(pk=session.pk).update(live_seq=F("live_seq") + 1)
    seq = Session.objects.values_list("live_seq", flat=True).get(pk=session.pk)
    event: Event = {"type": str(type), "seq": seq, "data": dict(data)}
    message: SessionEventMessage = {"type": "session.event", "event": event}
    group_send_after_commit(session.pk, message)
    return seq


# ---------------------------------------------------------------------------------------------
# Coalesced poll progress.

# At most one broadcast per poll per interval from a process with a running event loop (daphne),
# each carrying the count at the moment it is sent: four a second to a small hall; to a large
# one, as many as keep this process's progress frames under PROGRESS_FRAMES_PER_SECOND (one a
# second to 2,000 phones), since every broadcast is one frame to each of its sockets, written by
# the same loop that must read and acknowledge the votes (docs/performance.md).
PROGRESS_INTERVAL = 0.25
PROGRESS_FRAMES_PER_SECOND = 2000
# Without a loop (a management command, a WSGI worker, the test client) a cache key lets one
# broadcast through per poll per window, across processes sharing the cache.
PROGRESS_THROTTLE_SECONDS = 1

_loop: asyncio.AbstractEventLoop | None = None
_loop_lock = threading.Lock()
# Per loop, poll id → whether another touch came in while its task was waiting, or None once
# the poll has closed (its close event carries the final count: no progress may follow it).
# Touched only in that loop's thread.
_pending_by_loop: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, bool | None]]" = (
    weakref.WeakKeyDictionary()
)


_tasks: set["asyncio.Future[None]"] = set()

# Per loop, session id → the sockets of this process in its group. Touched only in that loop.
_listeners_by_loop: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, int]]" = (
    weakref.WeakKeyDictionary()
)


def _listeners() -> dict[int, int]:
    return _listeners_by_loop.setdefault(asyncio.get_running_loop(), {})


def progress_listener_add(*, session_id: int) -> None:
    """A socket of this process joined the session's group (the consumer, in the loop)."""
    listeners = _listeners()
    listeners[session_id] = listeners.get(session_id, 0) + 1


def progress_listener_remove(*, session_id: int) -> None:
    listeners = _listeners()
    remaining = listeners.get(session_id, 0) - 1
    if remaining > 0:
        listeners[session_id] = remaining
    else:
        listeners.pop(session_id, None)


# Per loop: votes received on this process's sockets and not yet answered (a one-element list,
# so the count can change in place). Touched only in that loop's thread.
_unanswered_by_loop: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, list[int]]" = (
    weakref.WeakKeyDictionary()
)
# How often a progress broadcast held back by unanswered votes looks again.
PROGRESS_HOLD_STEP = 0.02


def _unanswered() -> list[int]:
    return _unanswered_by_loop.setdefault(asyncio.get_running_loop(), [0])


@contextlib.contextmanager
def vote_being_answered() -> Iterator[None]:
    """Around casting and answering a vote received on a socket (the consumer, in the loop):
    meanwhile this process's progress broadcasts wait, for at most one more interval, so every
    voter's own acknowledgement goes out before a count to every socket (docs/performance.md)."""
    unanswered = _unanswered()
    unanswered[0] += 1
    try:
        yield
    finally:
        unanswered[0] -= 1


async def _wait_for_answers(*, at_most: float) -> None:
    waited = 0.0
    while _unanswered()[0] > 0 and waited < at_most:
        await asyncio.sleep(PROGRESS_HOLD_STEP)
        waited += PROGRESS_HOLD_STEP


def progress_interval(*, session_id: int) -> float:
    """Seconds between two progress broadcasts of a poll of this session from this process."""
    return max(PROGRESS_INTERVAL, _listeners().get(session_id, 0) / PROGRESS_FRAMES_PER_SECOND)


def _pending() -> dict[int, bool | None]:
    return _pending_by_loop.setdefault(asyncio.get_running_loop(), {})


def progress_loop_register(loop: asyncio.AbstractEventLoop) -> None:
    """Remember the server's event loop (the consumer calls this when a socket connects), so that
    ballots cast in worker threads can be coalesced there."""
    global _loop
    with _loop_lock:
        _loop = loop


def _running_loop() -> asyncio.AbstractEventLoop | None:
    loop = _loop
    if loop is None or loop.is_closed() or not loop.is_running():
        return None
    return loop


def poll_progress(*, poll_id: int) -> PollProgressData:
    """How many of those entitled have voted so far: counts only, never who or what."""
    from consultations.selectors.live import poll_counts  # the selector imports this module

    voted, entitled = poll_counts(poll_id)
    return {"poll": poll_id, "voted": voted, "entitled": entitled}


def _progress_broadcast(session_id: int, poll_id: int) -> None:
    """Count now and broadcast (sync: called after the commit or from the coalescing task's thread)."""
    progress = poll_progress(poll_id=poll_id)
    message: ProgressMessage = {"type": "session.progress", "progress": progress}
    _group_send(session_id, message)


async def _progress_task(session_id: int, poll_id: int) -> None:
    """One interval after the first touch, the count; then one more per interval while touches
    keep coming, so clients end on the final count — unless the poll closed meanwhile: then its
    close event has the count, and a progress frame to every socket would only delay it. Nothing
    is sent at the first touch itself: in a storm that is when the loop has every vote to read
    and acknowledge; and each broadcast waits for the votes being answered (`vote_being_answered`)."""
    pending = _pending()
    try:
        while True:
            interval = progress_interval(session_id=session_id)
            await asyncio.sleep(interval)
            await _wait_for_answers(at_most=interval)
            if not pending.get(poll_id):
                break
            pending[poll_id] = False
            await _progress_send_async(session_id, poll_id)
    except Exception:
        logger.exception("poll progress of poll %s failed", poll_id)
    finally:
        pending.pop(poll_id, None)


async def _progress_send_async(session_id: int, poll_id: int) -> None:
    progress = await database_sync_to_async(poll_progress)(poll_id=poll_id)
    layer = get_channel_layer()
    if layer is None or _pending().get(poll_id, False) is None:
        return
    message: ProgressMessage = {"type": "session.progress", "progress": progress}
    await layer.group_send(session_group(session_id), dict(message))


def _progress_schedule(session_id: int, poll_id: int) -> None:
    """In the loop: start the poll's task, or tell the running one that more ballots came."""
    pending = _pending()
    if poll_id in pending:
        if pending[poll_id] is not None:
            pending[poll_id] = True
        return
    pending[poll_id] = True
    task = asyncio.ensure_future(_progress_task(session_id, poll_id))
    _tasks.add(task)  # the loop keeps only a weak reference to its tasks
    task.add_done_callback(_tasks.discard)


def _progress_after_commit(session_id: int, poll_id: int) -> None:
    loop = _running_loop()
    if loop is not None:
        # A fresh context: the caller's (a sync thread of asgiref's) must not leak into the task,
        # or asgiref would take the task's database call for a deadlock.
        loop.call_soon_threadsafe(_progress_schedule, session_id, poll_id, context=contextvars.Context())
        return
    # No loop in this process: let one broadcast per window through. A ballot refused by the
    # window is reported by the next touch after it, or by the poll's close event.
    try:
        let_through = cache.add(f"live:poll-progress:{poll_id}", 1, timeout=PROGRESS_THROTTLE_SECONDS)
    except Exception:  # The cache (Redis) is down: the ballot has committed, its request must not fail.
        logger.exception("poll progress of poll %s not sent: the cache is unavailable", poll_id)
        return
    if let_through:
        _progress_broadcast(session_id, poll_id)


def _progress_end(poll_id: int) -> None:
    pending = _pending()
    if poll_id in pending:
        pending[poll_id] = None


def poll_progress_end(*, poll_id: int) -> None:
    """The poll closed: after the commit, send no more progress for it from this process (a
    pending trailing broadcast would reach every socket just before the close event)."""

    def end() -> None:
        loop = _running_loop()
        if loop is not None:
            loop.call_soon_threadsafe(_progress_end, poll_id, context=contextvars.Context())

    transaction.on_commit(end)


def poll_progress_touch(*, session_id: int, poll_id: int) -> None:
    """A ballot was cast: after the commit, let the session know how many have voted —
    coalesced to a few broadcasts a second per poll whatever the rate of ballots
    (docs/live-protocol.md, "Poll progress")."""
    transaction.on_commit(lambda: _progress_after_commit(session_id, poll_id))
