"""The pieces of the vote storm: a daphne server in a subprocess watched for CPU and memory, and
N WebSocket clients in one asyncio loop speaking docs/live-protocol.md."""

import asyncio
import contextlib
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from websockets.asyncio.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """`daphne <app>` on a free port, its CPU time and a sampled peak RSS."""

    def __init__(self, app: str, env: dict[str, str], *, profile: Path | None = None) -> None:
        self.port = free_port()
        self.profiled = profile is not None
        command = [sys.executable]
        if profile is not None:
            command += ["-m", "bench.support.profiled", str(profile)]
        command += ["-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), app]
        self.log = open(ROOT / "bench" / f".daphne-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.ps = psutil.Process(self.process.pid)
        self.peak_rss = 0
        self._stop = threading.Event()
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"daphne exited; see {self.log.name}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("daphne did not start") from None
                time.sleep(0.05)
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak_rss = max(self.peak_rss, self.ps.memory_info().rss)
            except psutil.Error:
                return
            time.sleep(0.02)

    def rss(self) -> int:
        return int(self.ps.memory_info().rss)

    def cpu(self) -> float:
        times = self.ps.cpu_times()
        return float(times.user + times.system)

    def profile_window(self, *, open: bool) -> None:
        """Start or stop the profiler's sampling (bench/support/profiled.py), if profiled."""
        if self.profiled:
            self.process.send_signal(signal.SIGUSR1 if open else signal.SIGUSR2)

    def reset_peak(self) -> None:
        self.peak_rss = self.rss()

    def stop(self) -> None:
        self._stop.set()
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        if self.process.returncode in (0, -signal.SIGINT, 1):
            Path(self.log.name).unlink(missing_ok=True)


class Servers:
    """Several daphne processes of the app sharing the Redis channel layer, measured as one: CPU
    and memory summed (peaks summed: an upper bound), HTTP requests to the first."""

    def __init__(self, servers: list[Server]) -> None:
        self.servers = servers
        self.port = servers[0].port
        self.profiled = any(server.profiled for server in servers)

    @property
    def peak_rss(self) -> int:
        return sum(server.peak_rss for server in self.servers)

    def rss(self) -> int:
        return sum(server.rss() for server in self.servers)

    def cpu(self) -> float:
        return sum(server.cpu() for server in self.servers)

    def reset_peak(self) -> None:
        for server in self.servers:
            server.reset_peak()

    def profile_window(self, *, open: bool) -> None:
        for server in self.servers:
            server.profile_window(open=open)

    def stop(self) -> None:
        for server in self.servers:
            server.stop()


@dataclass
class Client:
    index: int
    ws: ClientConnection | None = None
    client_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    snapshot: dict[str, Any] | None = None
    acked_at: float | None = None
    duplicate: bool = False
    closed_event: dict[str, Any] | None = None
    closed_at: float | None = None
    errors: list[str] = field(default_factory=list)
    progress_seen: int = 0
    progress_voted: int = 0  # the count of the latest poll.progress
    opened: bool = False  # has seen the poll.opened event of the round's poll


@dataclass
class Storm:
    """N clients on one server path: connect them, then per round have them all vote at once,
    wait for the acks, then for the poll.closed event on every one after the close."""

    url: str
    headers: list[dict[str, str]]  # one per client
    origin: str
    urls: list[str] = field(default_factory=list)  # several processes: client i connects to urls[i % len]
    connect_concurrency: int = 50
    clients: list[Client] = field(default_factory=list)
    connect_errors: list[str] = field(default_factory=list)
    _acks: int = 0
    _closed: int = 0
    _all_acked: asyncio.Event = field(default_factory=asyncio.Event)
    _all_closed: asyncio.Event = field(default_factory=asyncio.Event)
    _readers: list["asyncio.Task[None]"] = field(default_factory=list)
    poll_id: int | None = None

    def new_round(self, *, poll_id: int) -> None:
        """Before each vote on the same sockets: a new poll, a new client_id per client."""
        self.poll_id = poll_id
        self._acks = self._closed = 0
        self._all_acked = asyncio.Event()
        self._all_closed = asyncio.Event()
        for client in self.clients:
            client.client_id = uuid.uuid4().hex
            client.acked_at = client.closed_at = client.closed_event = None
            client.duplicate = False
            client.progress_seen = client.progress_voted = 0
            client.opened = False

    async def connect_all(self) -> float:
        started = time.perf_counter()
        gate = asyncio.Semaphore(self.connect_concurrency)
        self.clients = [Client(index=i) for i in range(len(self.headers))]
        await asyncio.gather(*(self._connect(client, gate) for client in self.clients))
        return time.perf_counter() - started

    async def _connect(self, client: Client, gate: asyncio.Semaphore) -> None:
        async with gate:
            for attempt in range(3):
                try:
                    client.ws = await connect(
                        self.urls[client.index % len(self.urls)] if self.urls else self.url,
                        origin=self.origin,  # type: ignore[arg-type]
                        additional_headers=self.headers[client.index],
                        compression=None,
                        open_timeout=60,
                        ping_interval=None,
                        max_queue=None,
                    )
                    first = json.loads(await asyncio.wait_for(client.ws.recv(), 60))
                    if first.get("type") != "snapshot":
                        raise RuntimeError(f"first frame {first!r}")
                    client.snapshot = first
                    return
                except Exception as error:
                    if attempt == 2:
                        self.connect_errors.append(f"{type(error).__name__}: {error}")
                    await asyncio.sleep(0.5)

    def start_reading(self) -> None:
        for client in self.clients:
            if client.ws is not None:
                self._readers.append(asyncio.create_task(self._read(client)))

    async def _read(self, client: Client) -> None:
        assert client.ws is not None
        try:
            async for frame in client.ws:
                message = json.loads(frame)
                kind = message.get("type")
                if kind == "ack" and message.get("client_id") == client.client_id:
                    if client.acked_at is None:
                        client.acked_at = time.perf_counter()
                        client.duplicate = bool(message.get("duplicate"))
                        self._count_ack()
                elif kind == "error":
                    client.errors.append(f"{message.get('code')}: {message.get('message')}")
                    if message.get("client_id") == client.client_id:
                        self._count_ack()  # answered, if not acknowledged
                elif kind == "poll.progress" and message.get("poll") == self.poll_id:
                    client.progress_seen += 1
                    client.progress_voted = int(message.get("voted") or 0)
                elif (
                    kind == "event"
                    and message["event"].get("type") == "poll.opened"
                    and message["event"].get("data", {}).get("poll") == self.poll_id
                ):
                    client.opened = True
                elif (
                    kind == "event"
                    and message["event"].get("type") == "poll.closed"
                    and client.closed_at is None
                ):
                    client.closed_at = time.perf_counter()
                    client.closed_event = message["event"]
                    self._closed += 1
                    if self._closed >= self.live:
                        self._all_closed.set()
        except Exception as error:
            client.errors.append(f"socket: {type(error).__name__}: {error}")

    def _count_ack(self) -> None:
        self._acks += 1
        if self._acks >= self.live:
            self._all_acked.set()

    @property
    def live(self) -> int:
        return sum(1 for c in self.clients if c.ws is not None)

    async def vote_all(self, message_of: Any, timeout: float) -> float:
        """Every connected client sends its vote at the same moment; returns the start time."""
        go = asyncio.Event()

        async def send(client: Client) -> None:
            assert client.ws is not None
            await go.wait()
            await client.ws.send(json.dumps(message_of(client)))

        senders = [asyncio.create_task(send(c)) for c in self.clients if c.ws is not None]
        await asyncio.sleep(0.1)  # let every sender reach go.wait()
        started = time.perf_counter()
        go.set()
        await asyncio.gather(*senders)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._all_acked.wait(), timeout)
        return started

    async def wait_progress(self, voted: int, timeout: float) -> float:
        """Until every client's latest poll.progress shows `voted` (the room has seen that everyone
        voted, as the chair has before closing); returns the seconds waited."""
        started = time.perf_counter()
        deadline = started + timeout
        while time.perf_counter() < deadline:
            if all(c.progress_voted >= voted for c in self.clients if c.ws is not None):
                break
            await asyncio.sleep(0.02)
        return time.perf_counter() - started

    async def wait_opened(self, timeout: float) -> None:
        """Until every client has seen the round's poll.opened event."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if all(c.opened for c in self.clients if c.ws is not None):
                return
            await asyncio.sleep(0.02)
        raise RuntimeError("not every client saw the vote open")

    async def wait_closed(self, timeout: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._all_closed.wait(), timeout)

    async def close_all(self) -> None:
        for task in self._readers:
            task.cancel()
        await asyncio.gather(
            *(c.ws.close() for c in self.clients if c.ws is not None), return_exceptions=True
        )


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def latency_stats(storm: Storm, started: float) -> dict[str, float | None]:
    acks = [c.acked_at - started for c in storm.clients if c.acked_at is not None]
    return {
        "ack_p50_s": _round(percentile(acks, 0.5)),
        "ack_p99_s": _round(percentile(acks, 0.99)),
        "ack_max_s": _round(max(acks) if acks else None),
        "ack_mean_s": _round(statistics.fmean(acks) if acks else None),
    }


def final_result_time(storm: Storm, close_started: float) -> float | None:
    times = [c.closed_at for c in storm.clients if c.ws is not None]
    if not times or any(t is None for t in times):
        return None
    return _round(max(t for t in times if t is not None) - close_started)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def raise_open_files_limit(needed: int) -> None:
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, needed))
    if want > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    os.environ["BENCH_NOFILE"] = str(want)
