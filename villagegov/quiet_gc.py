"""Full garbage collections while the live sockets are quiet (docs/performance.md, "Closing
the gap").

A daphne process holding 2,000 phones' sockets keeps some 400,000 objects, and CPython's full
collection (of its oldest generation) walks through them all: 0.2–0.4 s during which the process
answers no one. Left to its allocation counters, that collection comes when allocation is
highest, in the middle of a storm of votes, where it measured as the largest cost after writing
to the sockets. So once a process serves a live socket (`quiet_gc_start`, from the consumer),
the objects made until then are frozen out of collections (modules, settings, the URLconf: they
live as long as the process), automatic collection is kept to the two young generations, and a
task of the event loop makes the full collection when CPython would have considered it (as many
young collections as its threshold) and no live frame has come or gone for `QUIET_SECONDS`, or,
however busy the sockets, once it has waited `WAIT_AT_MOST_SECONDS`, so memory stays bounded.

Off with `VILLAGEGOV_LIVE_QUIET_GC=0`, and in the in-process tests (their event loops end with
each test; the task would end with them and leave full collections off).
"""

import asyncio
import gc
import time

from django.conf import settings

QUIET_SECONDS = 2.0
CHECK_SECONDS = 1.0
WAIT_AT_MOST_SECONDS = 60.0
# The full collection's threshold while this task makes it: never reached.
AUTOMATIC_FULL_OFF = 1_000_000_000

_young_collections_before_full = gc.get_threshold()[2]
_loop: asyncio.AbstractEventLoop | None = None
_task: "asyncio.Task[None] | None" = None
_frozen = False
_last_busy = 0.0


def quiet_gc_busy() -> None:
    """A live frame came in or went out: the sockets are not quiet."""
    global _last_busy
    _last_busy = time.monotonic()


def full_collection_due(*, young_collections: int, quiet_for: float, waited: float) -> bool:
    """Whether to make the full collection now: it is due, and the sockets are quiet or it has
    waited long enough."""
    if young_collections < _young_collections_before_full:
        return False
    return quiet_for >= QUIET_SECONDS or waited >= WAIT_AT_MOST_SECONDS


def quiet_gc_start() -> None:
    """In the event loop, when a live socket connects: from now on this process's full
    collections wait for a quiet moment. Does nothing if already started on this loop."""
    global _loop, _task, _frozen
    if not settings.VILLAGEGOV_LIVE_QUIET_GC:
        return
    loop = asyncio.get_running_loop()
    if _loop is loop and _task is not None and not _task.done():
        return
    if not _frozen:
        gc.freeze()
        _frozen = True
    young, middle, _oldest = gc.get_threshold()
    gc.set_threshold(young, middle, AUTOMATIC_FULL_OFF)
    _loop = loop
    _task = loop.create_task(_collect_when_quiet())


async def _collect_when_quiet() -> None:
    due_since: float | None = None
    try:
        while True:
            await asyncio.sleep(CHECK_SECONDS)
            now = time.monotonic()
            young_collections = gc.get_count()[2]
            if young_collections < _young_collections_before_full:
                due_since = None
                continue
            due_since = now if due_since is None else due_since
            if full_collection_due(
                young_collections=young_collections, quiet_for=now - _last_busy, waited=now - due_since
            ):
                gc.collect()
                due_since = None
    finally:
        # The loop is going away: CPython makes its full collections itself again.
        young, middle, _oldest = gc.get_threshold()
        gc.set_threshold(young, middle, _young_collections_before_full)
