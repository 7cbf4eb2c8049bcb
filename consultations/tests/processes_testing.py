"""The app as it runs in production, for the multi-process and fault tests: daphne processes
(subprocesses) on the pytest-django test database, sharing a Redis channel layer — the suite's
Redis under a channel prefix of their own, or a `redis-server` the test starts, stops and
starts again — and WebSocket clients speaking docs/live-protocol.md with the `websockets`
package, logged in by session cookies written straight into the session store.

Only for PostgreSQL + Redis (`needs_postgres_and_redis`): the subprocesses must reach the test
database, which an in-memory SQLite database is not. Tests using these use
`django_db(transaction=True)` so that what they build is committed and visible to the servers.
Nothing here sleeps for a fixed time to let something happen: every wait is on a condition,
with a timeout.
"""

import asyncio
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import override_settings
from websockets.asyncio.client import ClientConnection, connect

from villagegov.models import User

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
# The servers' secret (sessions are signed with it, and a session's auth hash depends on it).
SECRET_KEY = "processes-testing-" + uuid.uuid4().hex
CSRF = "processestestingcsrfsecret012345"  # 32 characters: an unmasked CSRF secret
TIMEOUT = 20.0  # the longest any one condition is waited for

T = TypeVar("T")

needs_postgres_and_redis = pytest.mark.skipif(
    connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
    reason="needs PostgreSQL and REDIS_URL: daphne subprocesses share the test database and Redis",
)


def _prctl() -> Callable[..., int] | None:
    try:
        return ctypes.CDLL("libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl()  # looked up here: the child, forked from a threaded process, only calls it
PR_SET_PDEATHSIG = 1


def _die_with_the_test() -> None:
    """In the child, before exec: SIGKILL it if the test process dies, so that no server is left
    holding a connection to the test database (Linux only; elsewhere nothing)."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGKILL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
    except OSError:
        return False
    return True


def wait_until(condition: Callable[[], Any], what: str, timeout: float = TIMEOUT) -> Any:
    """Poll `condition` until it returns something true; its value. Fails after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.02)


async def await_until(condition: Callable[[], Any], what: str, timeout: float = TIMEOUT) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(0.02)


def in_thread_db(fn: Callable[[], T]) -> "asyncio.Future[T]":
    """Run an ORM call from async test code: in a thread, closing that thread's connection
    after (the test database must have none left open when it is dropped)."""

    def run() -> T:
        try:
            return fn()
        finally:
            connections.close_all()

    return asyncio.ensure_future(asyncio.to_thread(run))


async def await_until_db(condition: Callable[[], Any], what: str, timeout: float = TIMEOUT) -> Any:
    """`await_until` for a condition that reads the database (run in a thread each time)."""
    deadline = time.monotonic() + timeout
    while True:
        value = await in_thread_db(condition)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(0.05)


# --- Redis ------------------------------------------------------------------------------------


def redis_url_for_servers() -> str:
    """The suite's REDIS_URL with another db number (the servers' cache keys away from the test
    process's, which `cache.clear()` flushes); pub/sub ignores db numbers, hence the prefixes
    in `server_environment`."""
    parts = urlsplit(os.environ["REDIS_URL"])
    try:
        db = int(parts.path.strip("/") or 0)
    except ValueError:
        db = 0
    return urlunsplit(parts._replace(path=f"/{(db + 8) % 16}"))


class RedisServer:
    """A `redis-server` of the test's own on a free port, without persistence: stopped and
    started again on the same port by the fault tests (never the machine's shared Redis)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="redis-liveops-")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert self.process is None
        options = ["--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir]
        self.process = subprocess.Popen(
            [REDIS_SERVER, *options, "--save", "", "--appendonly", "no", "--logfile", ""],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_the_test,
        )
        wait_until(lambda: self.ping(), f"redis-server on port {self.port}")

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_timeout=0.5, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def subscribers(self, channel: str) -> int:
        import redis

        client = redis.Redis(port=self.port, socket_timeout=1)
        try:
            return int(dict(client.pubsub_numsub(channel)).get(channel.encode(), 0))
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None
        wait_until(lambda: not port_open(self.port), "redis-server to stop listening")

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


# --- daphne -----------------------------------------------------------------------------------


def database_url(application_name: str) -> str:
    """The test database (pytest-django's `test_…`) as a DATABASE_URL for the servers, their
    connections named `application_name` (pg_stat_activity shows which are theirs)."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = db.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgres://{auth}{host}/{db['NAME']}?application_name={application_name}"


def database_sessions(application_name: str) -> int:
    """How many connections named `application_name` the database still has: a killed server's
    stay until PostgreSQL notices, finishing (a COMMIT it had received) or rolling back first."""

    def count() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND application_name = %s",
                [application_name],
            )
            return int(cursor.fetchone()[0])

    return count()


def server_environment(redis_url: str) -> dict[str, str]:
    """Production settings for the servers, on the test database and `redis_url`, with channel
    and cache prefixes of this run's own (so parallel runs on one Redis never meet)."""
    run = uuid.uuid4().hex[:12]
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "villagegov.settings",
            "DEBUG": "0",
            "SECRET_KEY": SECRET_KEY,
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url(f"liveops-{run}"),
            "DATABASE_CONN_MAX_AGE": "60",
            "REDIS_URL": redis_url,
            "CHANNEL_LAYER_PREFIX": f"liveops-{run}",
            "CACHE_KEY_PREFIX": f"liveops-{run}",
            "VILLAGEGOV_SMS_BACKEND": "disabled",
            "VILLAGEGOV_REQUIRE_MFA": "0",  # the chair logs in by cookie, with no authenticator
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


class Daphne:
    """`daphne villagegov.asgi:application` on a port of its own, in a subprocess. `kill()` is
    SIGKILL (no clean shutdown); `start()` again serves on the same port."""

    def __init__(self, env: dict[str, str], *, name: str = "daphne") -> None:
        self.env = env
        self.name = name
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = tempfile.NamedTemporaryFile(prefix=f"{name}-", suffix=".log", delete=False)  # noqa: SIM115

    @property
    def application_name(self) -> str:
        """The name of the servers' database connections (see `database_sessions`)."""
        return self.env["CHANNEL_LAYER_PREFIX"]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, wait: bool = True) -> None:
        """Start serving; with `wait=False` return at once (then `wait_listening()`), so that
        several servers start side by side."""
        assert self.process is None
        command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port)]
        self.process = subprocess.Popen(
            [*command, "villagegov.asgi:application"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_the_test,
        )
        if wait:
            self.wait_listening()

    def wait_listening(self) -> None:
        def up() -> bool:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited at start:\n{self.output()}")
            return port_open(self.port)

        wait_until(up, f"{self.name} to listen on port {self.port}", timeout=60)

    def kill(self) -> None:
        """SIGKILL: whatever was in flight is lost, as when a machine loses power."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def cleanup(self) -> None:
        self.stop()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


@contextmanager
def servers(*processes: "Daphne | RedisServer") -> Iterator[None]:
    """Stop every process at the end, whatever happened (the test database cannot be dropped
    while a server holds a connection to it)."""
    try:
        yield
    except BaseException:
        for process in processes:  # pytest shows this with the failure
            if isinstance(process, Daphne):
                print(f"--- {process.name} (port {process.port}), last lines:\n{process.output()[-4000:]}")
        raise
    finally:
        for process in reversed(processes):
            process.cleanup()


# --- logging in, HTTP -------------------------------------------------------------------------


def login_cookie(user: User) -> str:
    """A `Cookie` header value logging `user` in on the servers (a session row signed with the
    servers' secret), with the CSRF cookie for form posts."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    with override_settings(SECRET_KEY=SECRET_KEY):
        store = SessionStore()
        store.update(
            {
                "_auth_user_id": str(user.pk),
                "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                "_auth_user_hash": user.get_session_auth_hash(),
            }
        )
        store.set_expiry(timezone.now() + timedelta(hours=1))
        store.save()
        key = store.session_key
    return f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={CSRF}"


@dataclass
class Response:
    status: int
    location: str


async def http_post(port: int, path: str, cookie: str, fields: dict[str, str | int]) -> Response:
    """A form POST as a browser sends it (same-origin, with the CSRF token)."""
    from urllib.parse import urlencode

    body = urlencode({"csrfmiddlewaretoken": CSRF, **fields})
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        request = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n"
            f"Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}"
        )
        writer.write(request.encode())
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), TIMEOUT)
    finally:
        writer.close()
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    location = next(
        (line.split(":", 1)[1].strip() for line in head[1:] if line.lower().startswith("location:")), ""
    )
    return Response(status=int(head[0].split()[1]), location=location)


# --- live clients -----------------------------------------------------------------------------


@dataclass
class LiveClient:
    """One person's socket on one server, reading every frame into `frames`, keeping `seq` as the
    protocol says (snapshot, then consecutive events; a gap → resync)."""

    port: int
    path: str
    cookie: str
    name: str = "client"
    ws: ClientConnection | None = None
    frames: list[dict[str, Any]] = field(default_factory=list)
    snapshots: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    gaps: list[tuple[int, int]] = field(default_factory=list)
    seq: int | None = None
    failed_attempts: int = 0
    _reader: "asyncio.Task[None] | None" = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}{self.path}"

    async def connect(self, *, timeout: float = TIMEOUT) -> dict[str, Any]:
        """Connect (retrying, with a short back-off, while the server is down or refuses) and
        return the snapshot the server sends first."""
        deadline = time.monotonic() + timeout
        delay = 0.05
        while True:
            try:
                self.ws = await connect(
                    self.url,
                    origin=f"http://127.0.0.1:{self.port}",  # type: ignore[arg-type]
                    additional_headers={"Cookie": self.cookie},
                    open_timeout=5,
                    ping_interval=None,
                    compression=None,
                    max_queue=None,
                )
                first = json.loads(await asyncio.wait_for(self.ws.recv(), 5))
                if first.get("type") != "snapshot":
                    raise AssertionError(f"{self.name}: first frame {first!r}")
                break
            except Exception as error:
                if isinstance(error, AssertionError) or time.monotonic() > deadline:
                    raise
                self.failed_attempts += 1
                if self.ws is not None:
                    await self.ws.close()
                    self.ws = None
                await asyncio.sleep(delay)
                delay = min(delay * 2, 0.5)
        self._snapshot(first)
        self._reader = asyncio.create_task(self._read(self.ws))
        return first

    def _snapshot(self, snapshot: dict[str, Any]) -> None:
        self.frames.append(snapshot)
        self.snapshots.append(snapshot)
        self.seq = int(snapshot["seq"])

    async def _read(self, ws: ClientConnection) -> None:
        try:
            async for text in ws:
                message = json.loads(text)
                if message.get("type") == "snapshot":
                    self._snapshot(message)
                    continue
                self.frames.append(message)
                if message.get("type") == "event":
                    event = message["event"]
                    self.events.append(event)
                    assert self.seq is not None
                    if event["seq"] <= self.seq:
                        continue
                    if event["seq"] > self.seq + 1:
                        self.gaps.append((self.seq, event["seq"]))
                        await ws.send(json.dumps({"type": "resync"}))
                    self.seq = event["seq"]
        except Exception:  # the connection closed (or the server died): reconnecting is the test's call
            return

    async def send(self, message: dict[str, Any]) -> None:
        assert self.ws is not None
        await self.ws.send(json.dumps(message))

    async def drop(self) -> None:
        """Close the socket as a phone losing its network would (no goodbye from the client's
        side matters: the server just sees the connection end)."""
        if self._reader is not None:
            self._reader.cancel()
        if self.ws is not None:
            self.ws.transport.abort()
            self.ws = None

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    def frames_of(self, kind: str) -> list[dict[str, Any]]:
        return [frame for frame in self.frames if frame.get("type") == kind]

    def events_of(self, kind: str) -> list[dict[str, Any]]:
        return [event for event in self.events if event.get("type") == kind]

    def answer_to(self, client_id: str, *, after: int = 0) -> dict[str, Any] | None:
        """The ack or error answering the vote `client_id` (among the frames from index `after`)."""
        for frame in self.frames[after:]:
            if frame.get("type") in ("ack", "error") and frame.get("client_id") == client_id:
                return frame
        return None

    async def wait_for(self, what: str, condition: Callable[[], Any], timeout: float = TIMEOUT) -> Any:
        return await await_until(condition, f"{self.name}: {what}", timeout)


def socket_path(village_code: str, session_id: int) -> str:
    return f"/ws/v/{village_code}/sessions/{session_id}/"


def vote_message(poll_id: int, option_id: int, client_id: str | None = None) -> dict[str, Any]:
    return {
        "type": "vote",
        "poll": poll_id,
        "choices": [option_id],
        "client_id": client_id or uuid.uuid4().hex,
    }
