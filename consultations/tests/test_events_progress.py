"""Poll progress is coalesced: a storm of ballots makes a few broadcasts a second, and the last
broadcast always carries the final count."""

import asyncio
import threading
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction

from consultations import events
from consultations.events import PollProgressData, poll_progress_touch, session_group
from consultations.tests.live_testing import fresh_channel_layer


class Counter:
    """Stands in for the voter roll: each ballot adds one."""

    def __init__(self) -> None:
        self.voted = 0
        self.lock = threading.Lock()

    def progress(self, *, poll_id: int) -> PollProgressData:
        with self.lock:
            return {"poll": poll_id, "voted": self.voted, "entitled": 500}


async def drain(layer: Any, channel: str, *, quiet: float = 0.8) -> list[dict[str, Any]]:
    """Everything the channel receives until it has been quiet for `quiet` seconds."""
    received = []
    while True:
        try:
            received.append(await asyncio.wait_for(layer.receive(channel), timeout=quiet))
        except TimeoutError:
            return received


async def listening(
    monkeypatch: pytest.MonkeyPatch, *, session_id: int, interval: float | None = None
) -> tuple[Counter, Any, str]:
    """A fresh layer, the roll replaced by a counter, this loop registered, and a channel in the
    session's group: (counter, layer, channel)."""
    fresh_channel_layer()
    counter = Counter()
    monkeypatch.setattr(events, "poll_progress", counter.progress)
    if interval is not None:
        monkeypatch.setattr(events, "PROGRESS_INTERVAL", interval)
    events.progress_loop_register(asyncio.get_running_loop())
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(session_group(session_id), channel)
    return counter, layer, channel


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_storm_of_ballots_makes_a_few_broadcasts_ending_on_the_final_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counter, layer, channel = await listening(monkeypatch, session_id=1)

    def ballots(count: int) -> None:
        # As the ballot service does, from a worker thread: the touch after each "commit".
        for _ in range(count):
            with counter.lock:
                counter.voted += 1
            events._progress_after_commit(1, 7)

    started = asyncio.get_running_loop().time()
    for _ in range(10):  # 300 ballots over about a second
        # Thread-sensitive, as the consumer's and daphne's sync code runs.
        await sync_to_async(ballots)(30)
        await asyncio.sleep(0.1)
    received = await drain(layer, channel)
    elapsed = asyncio.get_running_loop().time() - started
    assert received, "no progress was broadcast"
    assert all(message["type"] == "session.progress" for message in received)
    # At most one per interval, nowhere near one per ballot.
    assert len(received) <= int(elapsed / events.PROGRESS_INTERVAL) + 1 < 300
    assert received[-1]["progress"] == {"poll": 7, "voted": 300, "entitled": 500}


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_polls_are_coalesced_separately(monkeypatch: pytest.MonkeyPatch) -> None:
    _counter, layer, channel = await listening(monkeypatch, session_id=2)
    await sync_to_async(events._progress_after_commit, thread_sensitive=False)(2, 8)
    await sync_to_async(events._progress_after_commit, thread_sensitive=False)(2, 9)
    received = await drain(layer, channel, quiet=0.5)
    assert sorted(message["progress"]["poll"] for message in received) == [8, 9]


class RecordingLayer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        self.sent.append((group, message))


@pytest.mark.django_db
def test_without_an_event_loop_a_cache_key_lets_one_broadcast_through_per_window(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    counter = Counter()
    layer = RecordingLayer()
    monkeypatch.setattr(events, "poll_progress", counter.progress)
    monkeypatch.setattr(events, "get_channel_layer", lambda: layer)
    monkeypatch.setattr(events, "_loop", None)
    for _ in range(50):
        counter.voted += 1
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            poll_progress_touch(session_id=3, poll_id=11)
    assert layer.sent == [
        ("session-3", {"type": "session.progress", "progress": {"poll": 11, "voted": 1, "entitled": 500}})
    ]


@pytest.mark.django_db
def test_nothing_is_broadcast_for_a_ballot_that_rolled_back(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    layer = RecordingLayer()
    monkeypatch.setattr(events, "get_channel_layer", lambda: layer)
    monkeypatch.setattr(events, "_loop", None)
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        poll_progress_touch(session_id=3, poll_id=12)
        raise RuntimeError
    assert callbacks == [] and layer.sent == []


@pytest.mark.django_db
def test_without_an_event_loop_a_cache_that_is_down_does_not_fail_the_ballot(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    """Redis down (the cache and the layer with it): the ballot's request must still succeed —
    its transaction has committed; only the progress broadcast is skipped (found by
    test_faults_postgres.py: a form ballot answered 500 though stored)."""
    layer = RecordingLayer()

    def cache_down(*args: Any, **kwargs: Any) -> bool:
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(events, "get_channel_layer", lambda: layer)
    monkeypatch.setattr(events, "_loop", None)
    monkeypatch.setattr(events.cache, "add", cache_down)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        poll_progress_touch(session_id=3, poll_id=13)
    assert len(callbacks) == 1 and layer.sent == []


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_no_progress_follows_the_close(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ballots keep the trailing broadcast pending; the close ends it: nothing more is sent for
    that poll (the close event carries the count), while another poll's progress still flows."""
    counter, layer, channel = await listening(monkeypatch, session_id=4, interval=0.5)

    def ballot_then_close() -> None:
        for _ in range(5):
            counter.voted += 1
            events._progress_after_commit(4, 14)
        with transaction.atomic():
            events.poll_progress_end(poll_id=14)
        events._progress_after_commit(4, 14)  # a ballot committed just before the close
        events._progress_after_commit(4, 15)

    await sync_to_async(ballot_then_close, thread_sensitive=False)()
    received = await drain(layer, channel, quiet=1.0)
    by_poll = [message["progress"]["poll"] for message in received]
    # Nothing is sent at a first touch: poll 14 closed before its first interval ended.
    assert by_poll.count(14) == 0 and by_poll.count(15) == 1


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_first_ballot_is_reported_one_interval_later_not_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The moment of the first ballot is when a storm's votes must be read and acknowledged:
    the count waits one interval."""
    counter, layer, channel = await listening(monkeypatch, session_id=5, interval=0.5)
    counter.voted = 1
    touched = asyncio.get_running_loop().time()
    await sync_to_async(events._progress_after_commit, thread_sensitive=False)(5, 16)
    message = await asyncio.wait_for(layer.receive(channel), timeout=3)
    assert asyncio.get_running_loop().time() - touched >= 0.45
    assert message["progress"] == {"poll": 16, "voted": 1, "entitled": 500}
    assert await drain(layer, channel, quiet=0.8) == []


@pytest.mark.asyncio
async def test_the_interval_grows_with_the_sockets_listening_in_this_process() -> None:
    """Every broadcast is a frame to each socket: four a second to a small hall, one a second to
    2,000 phones, so the loop keeps its time for the votes."""
    for _ in range(100):
        events.progress_listener_add(session_id=6)
    assert events.progress_interval(session_id=6) == events.PROGRESS_INTERVAL
    assert events.progress_interval(session_id=99) == events.PROGRESS_INTERVAL
    for _ in range(1900):
        events.progress_listener_add(session_id=6)
    assert events.progress_interval(session_id=6) == pytest.approx(1.0)
    for _ in range(2000):
        events.progress_listener_remove(session_id=6)
    assert events.progress_interval(session_id=6) == events.PROGRESS_INTERVAL
    assert 6 not in events._listeners()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_progress_waits_for_the_votes_being_answered_at_most_one_more_interval(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each voter's acknowledgement goes out before a count to every socket; a vote that is never
    answered holds the count back by one interval, no more."""
    counter, layer, channel = await listening(monkeypatch, session_id=8, interval=0.3)
    loop = asyncio.get_running_loop()

    # Answered 0.5 s after the touch: the count follows the answer, not the interval.
    counter.voted = 1
    touched = loop.time()
    with events.vote_being_answered():
        await sync_to_async(events._progress_after_commit, thread_sensitive=False)(8, 17)
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(layer.receive(channel), timeout=0.5)
    answered = loop.time()
    message = await asyncio.wait_for(layer.receive(channel), timeout=2)
    assert answered - touched >= 0.5
    assert message["progress"]["voted"] == 1

    # Never answered: the count comes after two intervals all the same.
    counter.voted = 2
    with events.vote_being_answered():
        touched = loop.time()
        await sync_to_async(events._progress_after_commit, thread_sensitive=False)(8, 18)
        message = await asyncio.wait_for(layer.receive(channel), timeout=2)
        assert loop.time() - touched >= 0.55  # the interval, then at most one more
    assert message["progress"] == {"poll": 18, "voted": 2, "entitled": 500}
