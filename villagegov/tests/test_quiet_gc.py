"""Full garbage collections wait for quiet live sockets (villagegov/quiet_gc.py)."""

import asyncio
import gc
import time
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from pytest_django.fixtures import Settings

from consultations.tests.live_testing import connected, fresh_channel_layer, socket_headers, socket_path
from consultations.tests.polls_testing import seated_meeting
from villagegov import quiet_gc
from villagegov.models import Village
from villagegov.quiet_gc import full_collection_due, quiet_gc_busy, quiet_gc_start

DUE = gc.get_threshold()[2]  # young collections before CPython considers a full one


@pytest.mark.parametrize(
    ("young_collections", "quiet_for", "waited", "due"),
    [
        (DUE - 1, 60.0, 600.0, False),  # CPython would not collect yet either
        (DUE, 0.1, 1.0, False),  # frames are coming and going
        (DUE, quiet_gc.QUIET_SECONDS, 0.0, True),  # quiet
        (DUE + 5, 0.0, quiet_gc.WAIT_AT_MOST_SECONDS, True),  # busy for a minute: collect anyway
    ],
)
def test_when_a_full_collection_is_due(
    young_collections: int, quiet_for: float, waited: float, due: bool
) -> None:
    assert full_collection_due(young_collections=young_collections, quiet_for=quiet_for, waited=waited) is due


@pytest_asyncio.fixture
async def collector(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[list[int]]:
    """The collector on, checking every 10 ms, quiet after 50 ms; yields the full collections
    made (gc.collect is recorded, not run). Afterwards the process's collector is as before."""
    settings.VILLAGEGOV_LIVE_QUIET_GC = True
    monkeypatch.setattr(quiet_gc, "CHECK_SECONDS", 0.01)
    monkeypatch.setattr(quiet_gc, "QUIET_SECONDS", 0.05)
    collected: list[int] = []

    def collect(generation: int = 2) -> int:
        collected.append(generation)
        return 0

    monkeypatch.setattr(quiet_gc.gc, "collect", collect)
    thresholds = gc.get_threshold()
    try:
        yield collected
    finally:
        task = quiet_gc._task
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        if quiet_gc._frozen:
            gc.unfreeze()
        quiet_gc._frozen, quiet_gc._task, quiet_gc._loop = False, None, None
        gc.set_threshold(*thresholds)


def young_collections(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    monkeypatch.setattr(quiet_gc.gc, "get_count", lambda: (0, 0, count))


@pytest.mark.asyncio
async def test_started_it_turns_off_automatic_full_collections_and_makes_them_when_quiet(
    collector: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    young, middle, _oldest = gc.get_threshold()
    quiet_gc_start()
    quiet_gc_start()  # a second socket: the same collector

    assert gc.get_threshold() == (young, middle, quiet_gc.AUTOMATIC_FULL_OFF)
    assert gc.get_freeze_count() > 0  # what the process made before its first socket

    young_collections(monkeypatch, DUE - 1)
    await asyncio.sleep(0.1)
    assert collector == []  # not due

    young_collections(monkeypatch, DUE)
    quiet_gc_busy()
    await asyncio.sleep(0.2)
    assert collector  # quiet for 50 ms: collected

    task = quiet_gc._task
    assert task is not None
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert gc.get_threshold() == (young, middle, DUE)  # the loop went away: CPython's own again


@pytest.mark.asyncio
async def test_it_waits_while_frames_come_and_go(
    collector: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(quiet_gc, "WAIT_AT_MOST_SECONDS", 0.3)
    young_collections(monkeypatch, DUE)
    quiet_gc_start()

    for _ in range(10):  # 0.2 s of traffic
        quiet_gc_busy()
        await asyncio.sleep(0.02)
    assert collector == []

    for _ in range(20):  # still busy, but it has waited long enough
        quiet_gc_busy()
        await asyncio.sleep(0.02)
    assert collector


@pytest.mark.asyncio
async def test_off_it_leaves_collections_to_cpython(settings: Settings) -> None:
    settings.VILLAGEGOV_LIVE_QUIET_GC = False
    before = gc.get_threshold()

    quiet_gc_start()

    assert gc.get_threshold() == before
    assert quiet_gc._task is None


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_live_socket_starts_it_and_its_frames_keep_it_waiting(
    collector: list[int], village: Village
) -> None:
    fresh_channel_layer()
    meeting = await database_sync_to_async(seated_meeting)(village, members=2)
    headers = await database_sync_to_async(socket_headers)(meeting.members[1])
    before = time.monotonic()

    communicator, _snapshot = await connected(socket_path(meeting.session), headers)  # a frame out
    assert quiet_gc._task is not None and not quiet_gc._task.done()
    assert quiet_gc._last_busy >= before

    after_connecting = quiet_gc._last_busy
    await communicator.send_json_to({"type": "ping"})  # a frame in, and the pong out
    assert await communicator.receive_json_from(timeout=3) == {"type": "pong"}
    assert quiet_gc._last_busy > after_connecting
    await communicator.disconnect()
