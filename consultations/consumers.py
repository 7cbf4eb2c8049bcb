"""The live session socket (docs/live-protocol.md is its specification).

One socket per person and session page. On connect: a snapshot with the session's sequence
number; then every event of the session (numbered) and the polls' progress (not numbered).
The client may vote over it (acknowledged after the commit, idempotent by its client id), ask
for a fresh snapshot, and ping. Anything malformed is answered with an error and changes nothing.
"""

import asyncio
import contextvars
import json
import logging
import re
import time
import weakref
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from consultations.events import (
    progress_listener_add,
    progress_listener_remove,
    progress_loop_register,
    session_group,
    vote_being_answered,
)
from consultations.models import Poll, Session
from consultations.selectors.live import live_access, session_snapshot
from consultations.services.polls import BallotReceipt
from villagegov.models import Person, User
from villagegov.quiet_gc import quiet_gc_busy, quiet_gc_start

logger = logging.getLogger(__name__)

MAX_FRAME_BYTES = 4096
RATE_LIMIT_MESSAGES = 30
RATE_LIMIT_SECONDS = 10.0
MAX_ID = 2**31 - 1  # ids are PostgreSQL integers
MAX_CHOICES = 100
CLIENT_ID = re.compile(r"^[\x21-\x7e]{1,64}$")  # printable ASCII without spaces, 1 to 64 characters

CLOSE_TOO_MANY = 4429

# Ballots over the socket are cast in batches, without waiting on purpose: a lone vote is cast
# at once; the votes that arrive while a batch is committing form the next batch, up to this many.
BATCH_MAX = 1000


class BadMessage(Exception):
    """A client message that does not follow the protocol."""


def _id(value: Any) -> int:
    # bool is an int in Python; the protocol's ids are not.
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise BadMessage
    return value


def _language(scope: dict[str, Any]) -> str:
    """The socket's language: the language cookie, else Accept-Language, else the site's
    (the socket scope has no LocaleMiddleware)."""
    supported = {code for code, _name in settings.LANGUAGES}
    cookies = scope.get("cookies") or {}
    candidates = [cookies.get(settings.LANGUAGE_COOKIE_NAME, "")]
    for name, value in scope.get("headers") or []:
        if name == b"accept-language":
            header = value.decode("latin-1")
            candidates += [code for code, _q in parse_accept_lang_header(header)]
    for candidate in candidates:
        if not candidate or candidate == "*":
            continue
        try:
            code = translation.get_supported_language_variant(candidate.lower())
        except LookupError:
            continue
        if code in supported:
            return code
    return str(settings.LANGUAGE_CODE)


class SessionConsumer(AsyncWebsocketConsumer):
    session: Session | None = None
    person: Person | None = None
    user: User | None = None
    language: str = "zh-hans"
    seq: int = 0
    group: str | None = None
    listening_to: int | None = None  # the session whose progress listeners count this socket

    async def dispatch(self, message: dict[str, Any]) -> None:
        """Channels' own dispatch closes old database connections before every handler, through
        the one database thread: a broadcast to 2,000 sockets or a storm of 2,000 votes is 2,000
        hops through that thread, queued behind the ballots' commits (measured as most of the
        time until everyone sees a result, docs/performance.md). This consumer reaches the
        database only through `database_sync_to_async`, which closes old connections in that
        thread around each call, so the hop is skipped for every message."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self) -> None:
        progress_loop_register(asyncio.get_running_loop())
        quiet_gc_start()
        self.language = _language(self.scope)
        self.recent: deque[float] = deque()
        kwargs = self.scope["url_route"]["kwargs"]
        try:
            session_id = int(kwargs["session_id"])
        except (KeyError, TypeError, ValueError):
            session_id = 0
        user = self.scope.get("user")
        access = await database_sync_to_async(live_access)(
            user=user, village_code=str(kwargs.get("village_code", "")), session_id=session_id
        )
        # Accepted, then closed with the protocol's code, so the browser learns why; a refusal
        # in the handshake would reach it only as 1006.
        await self.accept()
        if access.refusal is not None or access.session is None:
            await self.close(code=access.refusal)
            return
        self.session, self.person, self.user = access.session, access.person, user
        self.group = session_group(access.session.pk)
        # Join before taking the snapshot, so no event falls between the two.
        await self.channel_layer.group_add(self.group, self.channel_name)
        progress_listener_add(session_id=access.session.pk)
        self.listening_to = access.session.pk
        await self.send_snapshot()

    async def disconnect(self, code: int) -> None:
        if self.group is not None and self.listening_to is not None:
            progress_listener_remove(session_id=self.listening_to)
            self.listening_to = None
            await self.channel_layer.group_discard(self.group, self.channel_name)

    # --- to the client ------------------------------------------------------------------------

    async def send_json(self, content: dict[str, Any]) -> None:
        quiet_gc_busy()
        await self.send(text_data=json.dumps(content, ensure_ascii=False, separators=(",", ":")))

    async def send_snapshot(self) -> None:
        assert self.session is not None
        snapshot = await database_sync_to_async(self._snapshot)()
        self.seq = snapshot["seq"]
        await self.send_json(snapshot)

    def _snapshot(self) -> dict[str, Any]:
        assert self.session is not None
        with translation.override(self.language):
            return session_snapshot(self.session, self.person)

    async def send_error(self, code: str, message: str, client_id: str | None = None) -> None:
        error: dict[str, Any] = {"type": "error", "code": code, "message": message}
        if client_id is not None:
            error["client_id"] = client_id
        await self.send_json(error)

    # --- from the channel layer ---------------------------------------------------------------

    async def session_event(self, message: dict[str, Any]) -> None:
        event = message.get("event") or {}
        seq = event.get("seq")
        if isinstance(seq, int) and seq <= self.seq:
            return  # already in the snapshot this client holds
        if isinstance(seq, int):
            self.seq = seq
        await self.send_json({"type": "event", "event": event})

    async def session_progress(self, message: dict[str, Any]) -> None:
        progress = message.get("progress") or {}
        await self.send_json(
            {
                "type": "poll.progress",
                "poll": progress.get("poll"),
                "voted": progress.get("voted"),
                "entitled": progress.get("entitled"),
            }
        )

    # --- from the client ----------------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        quiet_gc_busy()
        if self.session is None:
            return
        with translation.override(self.language):
            if self._over_rate_limit():
                await self.send_error("too_many", _("Too many messages: wait a moment and reconnect."))
                await self.close(code=CLOSE_TOO_MANY)
                self.session = None
                return
            try:
                await self._handle(text_data, bytes_data)
            except BadMessage:
                await self.send_error("bad_message", _("The message was not understood; nothing changed."))
            except Exception:
                logger.exception("live socket message failed")
                await self.send_error("server_error", _("Something went wrong; nothing changed. Try again."))

    def _over_rate_limit(self) -> bool:
        now = time.monotonic()
        while self.recent and now - self.recent[0] > RATE_LIMIT_SECONDS:
            self.recent.popleft()
        self.recent.append(now)
        return len(self.recent) > RATE_LIMIT_MESSAGES

    async def _handle(self, text_data: str | None, bytes_data: bytes | None) -> None:
        if text_data is None or len(text_data.encode("utf-8")) > MAX_FRAME_BYTES:
            raise BadMessage
        try:
            message = json.loads(text_data)
        except (ValueError, RecursionError):
            raise BadMessage from None
        if not isinstance(message, dict):
            raise BadMessage
        kind = message.get("type")
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind == "resync":
            await self.send_snapshot()
        elif kind == "vote":
            await self._vote(message)
        else:
            raise BadMessage

    async def _vote(self, message: dict[str, Any]) -> None:
        client_id = message.get("client_id")
        if not isinstance(client_id, str) or not CLIENT_ID.match(client_id):
            raise BadMessage
        poll_id = _id(message.get("poll"))
        choices = message.get("choices")
        if not isinstance(choices, list) or not 1 <= len(choices) <= MAX_CHOICES:
            raise BadMessage
        choice_ids = [_id(choice) for choice in choices]
        for_person = message.get("for_person")
        proxy_for = None if for_person is None else _id(for_person)
        assert self.session is not None and self.user is not None
        vote = PendingVote(
            session=self.session,
            user=self.user,
            language=self.language,
            poll_id=poll_id,
            choices=choice_ids,
            client_id=client_id,
            proxy_for=proxy_for,
        )
        with vote_being_answered():
            outcome = await ballot_batcher().cast(vote)
            # The ballot's transaction has committed (or it was refused): only now the answer.
            await self.send_json(outcome)


# --- casting ballots in batches -------------------------------------------------------------


@dataclass
class PendingVote:
    """A vote received on a socket, waiting for its batch's commit."""

    session: Session
    user: User
    language: str
    poll_id: int
    choices: list[int]
    client_id: str
    proxy_for: int | None
    future: "asyncio.Future[dict[str, Any]] | None" = field(default=None, repr=False)


class BallotBatcher:
    """One per event loop (one per daphne process): gathers the votes of every socket that arrive
    while the previous batch is being committed, and casts them with `ballots_cast` in one
    transaction per poll and language, so a storm of ballots costs a few commits a second, not
    one per ballot. A batch goes to the database thread as soon as the previous one has
    committed, before that one's voters are answered, so the loop writes their acknowledgements
    while the database works. Each socket is
    answered only after its batch has committed; a refused ballot is answered with its own
    refusal. Should a batch fail as a whole (a constraint, a deadlock), its ballots are cast
    again one at a time, each answered by its own outcome."""

    def __init__(self) -> None:
        self.queue: list[PendingVote] = []
        self.task: asyncio.Task[None] | None = None

    async def cast(self, vote: PendingVote) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        vote.future = loop.create_future()
        self.queue.append(vote)
        if self.task is None or self.task.done():
            # A fresh context: the first voter's (its consumer's) must not become the batches'.
            self.task = loop.create_task(self._drain(), context=contextvars.Context())
        return await vote.future

    async def _drain(self) -> None:
        await asyncio.sleep(0)  # the votes read in this turn of the loop join the first batch
        batch = self._take()
        casting: asyncio.Future[list[dict[str, Any]]] | None = self._cast_in_database(batch)
        while casting is not None:
            try:
                outcomes = await casting
            except Exception:
                logger.exception("a batch of ballots failed")
                outcomes = [_server_error(vote) for vote in batch]
            # The next batch goes to the database thread before this one is answered: the loop
            # writes these acknowledgements while the database casts the next ballots.
            answered, batch = batch, self._take()
            casting = self._cast_in_database(batch) if batch else None
            for vote, outcome in zip(answered, outcomes, strict=True):
                if vote.future is not None and not vote.future.done():
                    vote.future.set_result(outcome)

    def _take(self) -> list[PendingVote]:
        batch, self.queue = self.queue[:BATCH_MAX], self.queue[BATCH_MAX:]
        return batch

    @staticmethod
    def _cast_in_database(batch: list[PendingVote]) -> "asyncio.Future[list[dict[str, Any]]]":
        return asyncio.ensure_future(database_sync_to_async(cast_batch)(batch))


_batchers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, BallotBatcher]" = weakref.WeakKeyDictionary()


def ballot_batcher() -> BallotBatcher:
    return _batchers.setdefault(asyncio.get_running_loop(), BallotBatcher())


def cast_batch(batch: list[PendingVote]) -> list[dict[str, Any]]:
    """Cast the votes of a batch (sync, in the database thread): one transaction per session,
    poll and language; the answers in the batch's order."""
    outcomes: list[dict[str, Any] | None] = [None] * len(batch)
    groups: dict[tuple[int, int, str], list[int]] = defaultdict(list)
    for index, vote in enumerate(batch):
        groups[(vote.session.pk, vote.poll_id, vote.language)].append(index)
    for (_session_id, _poll_id, language), indexes in groups.items():
        votes = [batch[index] for index in indexes]
        with translation.override(language):
            try:
                answers = _cast_group(votes)
            except Exception:
                logger.exception("a batch of %d ballots failed; casting them one at a time", len(votes))
                answers = [_cast_one(vote) for vote in votes]
        for index, answer in zip(indexes, answers, strict=True):
            outcomes[index] = answer
    return [outcome for outcome in outcomes if outcome is not None]


def _not_found(vote: PendingVote) -> dict[str, Any]:
    return {
        "type": "error",
        "client_id": vote.client_id,
        "code": "not_found",
        "message": _("There is no such vote in this session."),
    }


def _server_error(vote: PendingVote) -> dict[str, Any]:
    with translation.override(vote.language):
        return {
            "type": "error",
            "client_id": vote.client_id,
            "code": "server_error",
            "message": _("Something went wrong; nothing changed. Try again."),
        }


def _answer(vote: PendingVote, outcome: "BallotReceipt | ValidationError") -> dict[str, Any]:
    if isinstance(outcome, ValidationError):
        return {
            "type": "error",
            "client_id": vote.client_id,
            "code": "refused",
            "message": " ".join(outcome.messages),
        }
    return {
        "type": "ack",
        "client_id": vote.client_id,
        "poll": outcome.poll_id,
        "duplicate": bool(outcome.duplicate),
    }


def _cast_group(votes: list[PendingVote]) -> list[dict[str, Any]]:
    """Votes of one session and poll, in the active language: one `ballots_cast`."""
    from consultations.services.polls import BallotRequest, ballots_cast

    session = votes[0].session
    poll = (
        Poll.objects.select_related("item__session__council__village")
        .filter(pk=votes[0].poll_id, item__session=session)
        .first()
    )
    proxies = {vote.proxy_for for vote in votes if vote.proxy_for is not None}
    grantors = (
        {p.pk: p for p in Person.objects.filter(pk__in=proxies, village=session.council.village)}
        if proxies
        else {}
    )
    answers: list[dict[str, Any] | None] = [None] * len(votes)
    requests: list[BallotRequest] = []
    cast: list[int] = []
    for index, vote in enumerate(votes):
        grantor = None if vote.proxy_for is None else grantors.get(vote.proxy_for)
        if poll is None or (vote.proxy_for is not None and grantor is None):
            answers[index] = _not_found(vote)
            continue
        requests.append(
            BallotRequest(actor=vote.user, choices=vote.choices, client_id=vote.client_id, for_person=grantor)
        )
        cast.append(index)
    if poll is not None and requests:
        for index, outcome in zip(cast, ballots_cast(poll=poll, ballots=requests), strict=True):
            answers[index] = _answer(votes[index], outcome)
    return [answer for answer in answers if answer is not None]


def _cast_one(vote: PendingVote) -> dict[str, Any]:
    """One vote on its own (after its batch failed as a whole), in the active language."""
    from consultations.services.polls import ballot_cast

    try:
        session = vote.session
        poll = (
            Poll.objects.select_related("item__session__council__village")
            .filter(pk=vote.poll_id, item__session=session)
            .first()
        )
        grantor = None
        if vote.proxy_for is not None:
            grantor = Person.objects.filter(pk=vote.proxy_for, village=session.council.village).first()
        if poll is None or (vote.proxy_for is not None and grantor is None):
            return _not_found(vote)
        try:
            receipt = ballot_cast(
                actor=vote.user, poll=poll, choices=vote.choices, client_id=vote.client_id, for_person=grantor
            )
        except ValidationError as error:
            return _answer(vote, error)
        return _answer(vote, receipt)
    except Exception:
        logger.exception("live socket vote failed")
        return _server_error(vote)
