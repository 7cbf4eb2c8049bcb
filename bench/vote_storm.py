"""The vote storm (issue 6): N villagers vote at the same moment over the live socket.

    .venv/bin/python bench/vote_storm.py                    # embedded: SQLite file + in-memory layer, N=500
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/vote_storm.py                # PostgreSQL + Redis, N=2000

With DATABASE_URL and REDIS_URL set it uses a database of its own, `villagegov_bench` on the same
server (dropped and created anew; never the one named in DATABASE_URL), and the Redis pub/sub
layer. It migrates, builds a villagers' assembly (村民会议) of N adults with accounts (bulk;
their login sessions are written straight into the session store), checks them in, opens a
motion poll (the services), starts daphne in a subprocess, connects N WebSocket clients with the
documented protocol (docs/live-protocol.md), has them all vote at once, waits for every ack,
closes the poll through the chair's HTML form, and waits until every client has seen poll.closed.
Then it checks the database: every acknowledged ballot stored, none twice. It does this for
--rounds polls one after another on the same sockets (default 3) and reports each figure's
median over the rounds (the sums for counts; every round in `each_round`).

In the same run a bare Channels consumer (bench/support/bare.py: ack and broadcast only, same
daphne and layer) gives the stack's limit; the ratios are printed. Output: one JSON line
(`BENCH {...}`) and a table. Options: --n, --rounds, --processes, --skip-bare, --profile FILE, --json FILE.
"""

import argparse
import asyncio
import json
import os
import platform
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.support.storm import (  # noqa: E402
    Server,
    Servers,
    Storm,
    final_result_time,
    latency_stats,
    raise_open_files_limit,
)

BENCH_DB = "villagegov_bench"
RATIO_KEYS = (
    "ack_p50_s",
    "ack_p99_s",
    "all_acked_s",
    "first_result_s",
    "final_result_on_all_s",
    "server_cpu_s",
)
CSRF = "benchcsrftokenbenchcsrftokenabcd"  # 32 characters: an unmasked CSRF secret


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--n", type=int, default=None, help="clients (default 2000 on PG+Redis, 500 embedded)"
    )
    parser.add_argument("--skip-bare", action="store_true", help="do not measure the bare consumer")
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="daphne processes of the app (PG + Redis only; bare: always 1)",
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="votes one after another on the same sockets (default 3)"
    )
    parser.add_argument("--skip-app", action="store_true", help="measure only the bare consumer")
    parser.add_argument("--profile", type=Path, default=None, help="write a profile of the app's daphne here")
    parser.add_argument("--json", type=Path, default=None, help="also write the result to this file")
    parser.add_argument(
        "--conn-max-age", default="60", help="DATABASE_CONN_MAX_AGE of the server (default 60)"
    )
    parser.add_argument(
        "--timeout", type=float, default=180.0, help="seconds to wait for acks, then for results"
    )
    return parser.parse_args()


def environment(args: argparse.Namespace, workdir: Path) -> tuple[str, dict[str, str]]:
    """The backend's name and the environment of both the server and this process."""
    env = dict(os.environ)
    database_url = env.get("DATABASE_URL", "")
    redis_url = env.get("REDIS_URL", "")
    if database_url.startswith("postgres") and redis_url:
        backend = "postgresql+redis"
        parts = urlsplit(database_url)
        env["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + BENCH_DB))
        _recreate_pg_database(database_url)
    else:
        backend = "sqlite+inmemory"
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
        env.pop("REDIS_URL", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "villagegov.settings",
            "DEBUG": "0",  # production settings: no query log, compressed static manifest off below
            "SECRET_KEY": "bench-" + secrets.token_hex(24),
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_CONN_MAX_AGE": str(args.conn_max_age),
            "CACHE_KEY_PREFIX": "villagegov-bench",
            "VILLAGEGOV_REQUIRE_MFA": "0",  # the chair acts with no authenticator
            "PYTHONPATH": str(ROOT),
        }
    )
    return backend, env


def _recreate_pg_database(database_url: str) -> None:
    import psycopg

    parts = urlsplit(database_url)
    if parts.path.strip("/") == BENCH_DB:
        raise SystemExit("DATABASE_URL names the bench database itself; give the usual one")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {BENCH_DB}")


def migrate(env: dict[str, str]) -> float:
    import subprocess

    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    return time.perf_counter() - started


def build(n: int) -> dict[str, Any]:
    """A villagers' assembly of n adults with accounts, all checked in, a motion poll open, and a
    login session for each (and for the chair)."""
    from datetime import date, timedelta

    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session as LoginSession
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from consultations.models import Attendance, CheckInMethod, ItemState, MotionItem, SessionState
    from consultations.services.polls import poll_create, poll_open
    from consultations.tests.attendance_testing import make_session
    from villagegov.models import Body, Gender, Person, Role, User
    from villagegov.testing import council_of, make_person, make_village

    village = make_village(name="压力测试村")
    council = council_of(village, Body.VILLAGERS_ASSEMBLY)
    chair = make_person(village, name="主持人", roles=(Role.COMMITTEE_MEMBER,), with_account=True)
    session = make_session(council, state=SessionState.OPEN, chair=chair)
    password = make_password(secrets.token_hex(16))
    users = User.objects.bulk_create([User(username=f"bench{i}", password=password) for i in range(n)])
    people = Person.objects.bulk_create(
        [
            Person(
                village=village,
                name=f"村民{i}",
                gender=Gender.FEMALE if i % 2 else Gender.MALE,
                birth_date=date(1960 + i % 40, 1, 1),
                is_registered_resident=True,
                joined_on=date(2000, 1, 1),
                user=user,
            )
            for i, user in enumerate(users)
        ]
    )
    assert chair.user is not None
    Attendance.objects.bulk_create(
        [
            Attendance(
                session=session,
                person=person,
                checked_in_at=timezone.now(),
                method=CheckInMethod.CLERK,
                recorded_by=chair.user,
            )
            for person in people
        ]
    )
    item = MotionItem.objects.create(
        session=session,
        position=1,
        title="修村道",
        text="同意出资修村道",
        state=ItemState.CURRENT,
        started_at=timezone.now(),
        created_by=chair.user,
    )
    poll = poll_create(actor=chair.user, item=item, question="是否同意出资修村道？")
    poll = poll_open(actor=chair.user, poll=poll)
    backend = "django.contrib.auth.backends.ModelBackend"
    expires = timezone.now() + timedelta(days=1)
    store = SessionStore()
    keys: list[str] = []
    rows = []
    for user in [*users, chair.user]:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": backend,
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        rows.append(LoginSession(session_key=key, session_data=store.encode(data), expire_date=expires))
        keys.append(key)
    LoginSession.objects.bulk_create(rows)
    return {
        "village_code": village.admin_code,
        "session_id": session.pk,
        "poll_id": poll.pk,
        "options": list(poll.options.order_by("position").values_list("pk", flat=True)),
        "entitled": poll.entitled_count,
        "cookies": [f"{settings.SESSION_COOKIE_NAME}={key}" for key in keys[:-1]],
        "chair_cookie": f"{settings.SESSION_COOKIE_NAME}={keys[-1]}; {settings.CSRF_COOKIE_NAME}={CSRF}",
    }


async def http_post(port: int, path: str, cookie: str, body: str) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n"
        f"Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}"
    )
    writer.write(request.encode())
    await writer.drain()
    status_line = await reader.readline()
    await reader.read()
    writer.close()
    return int(status_line.split()[1])


async def run_app(
    data: dict[str, Any], server: Server | Servers, n: int, rounds: int, timeout: float
) -> dict[str, Any]:
    path = f"/ws/v/{data['village_code']}/sessions/{data['session_id']}/"
    ports = [s.port for s in server.servers] if isinstance(server, Servers) else [server.port]
    storm = Storm(
        url=f"ws://127.0.0.1:{server.port}{path}",
        urls=[f"ws://127.0.0.1:{port}{path}" for port in ports],
        headers=[{"Cookie": c} for c in data["cookies"][:n]],
        origin=f"http://127.0.0.1:{server.port}",
    )
    return await _storm(storm, server, data, rounds, timeout, app=True)


async def run_bare(server: Server, n: int, rounds: int, timeout: float) -> dict[str, Any]:
    url = f"ws://127.0.0.1:{server.port}/ws/bare/"
    storm = Storm(url=url, headers=[{} for _ in range(n)], origin=f"http://127.0.0.1:{server.port}")
    return await _storm(storm, server, {"poll_id": 1, "options": [1, 2, 3]}, rounds, timeout, app=False)


# Per round, the figures whose median over the rounds is the run's figure.
ROUND_MEDIANS = (
    "ack_p50_s",
    "ack_p99_s",
    "ack_max_s",
    "ack_mean_s",
    "all_acked_s",
    "progress_settled_s",
    "close_request_s",
    "first_result_s",
    "final_result_on_all_s",
    "server_cpu_votes_s",
    "progress_frames_per_client",
)
# Per round, the counts that add up over the rounds.
ROUND_SUMS = (
    "acks",
    "duplicates_acked",
    "saw_final",
    "ballots_in_db",
    "roll_marked_voted",
    "lost",
    "lost_acked_not_stored",
    "not_acked",
    "doubled",
)


async def _storm(
    storm: Storm,
    server: Server | Servers,
    data: dict[str, Any],
    rounds: int,
    timeout: float,
    *,
    app: bool,
) -> dict[str, Any]:
    """Connect every client once, then `rounds` votes one after another (a new poll each, every
    client with a new client_id): one storm is noisy on two shared cores, the median of a few
    is the run's figure."""
    n = len(storm.headers)
    idle_rss = server.rss()
    cpu_before = server.cpu()
    server.reset_peak()
    connect_s = await storm.connect_all()
    connected_rss = server.rss()
    storm.start_reading()
    if app:
        open_poll = [c.snapshot.get("open_poll") for c in storm.clients if c.snapshot]
        if not open_poll or not open_poll[0] or open_poll[0]["id"] != data["poll_id"]:
            raise RuntimeError("the snapshot does not show the open poll")
    results = []
    for number in range(rounds):
        if number > 0 and app:
            data = await asyncio.to_thread(next_poll, data, number)
            storm.new_round(poll_id=data["poll_id"])
            # The chair opens it in the hall (the HTML form); people vote once their phone shows it.
            path = f"/v/{data['village_code']}/sessions/{data['session_id']}/polls/{data['poll_id']}/open/"
            status = await http_post(server.port, path, data["chair_cookie"], f"csrfmiddlewaretoken={CSRF}")
            if status != 302:
                raise RuntimeError(f"opening the poll answered {status}")
            await storm.wait_opened(timeout)
        else:
            storm.new_round(poll_id=data["poll_id"])
        results.append(await _round(storm, server, data, timeout, app=app))
    errors = list(storm.connect_errors) + [e for c in storm.clients for e in c.errors]
    await storm.close_all()
    result: dict[str, Any] = {
        "n": n,
        "rounds": rounds,
        "connected": storm.live,
        "connect_s": round(connect_s, 3),
        **{key: _median([r.get(key) for r in results]) for key in ROUND_MEDIANS},
        **{key: _sum([r.get(key) for r in results]) for key in ROUND_SUMS},
        "server_cpu_s": round(server.cpu() - cpu_before, 2),
        "idle_rss_mb": round(idle_rss / 2**20, 1),
        "connected_rss_mb": round(connected_rss / 2**20, 1),
        "peak_rss_mb": round(server.peak_rss / 2**20, 1),
        "rss_per_client_kb": round((server.peak_rss - idle_rss) / 1024 / max(n, 1), 1),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        "live_result_matches_db": all(r.get("live_result_matches_db", True) for r in results),
        "each_round": results,
    }
    return result


def _median(values: list[Any]) -> float | None:
    import statistics

    present = [v for v in values if v is not None]
    return round(statistics.median(present), 4) if present else None


def _sum(values: list[Any]) -> int | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


async def _round(
    storm: Storm, server: Server | Servers, data: dict[str, Any], timeout: float, *, app: bool
) -> dict[str, Any]:
    options = data["options"]
    poll_id = data["poll_id"]
    cpu_storm = server.cpu()

    def vote(client: Any) -> dict[str, Any]:
        return {
            "type": "vote",
            "poll": poll_id,
            "choices": [options[client.index % len(options)]],
            "client_id": client.client_id,
        }

    server.profile_window(open=True)
    started = await storm.vote_all(vote, timeout)
    acks_done = time.perf_counter()
    latency = latency_stats(storm, started)
    cpu_votes = server.cpu() - cpu_storm
    if app:
        # The chair closes once the room shows that everyone voted: the trailing poll.progress
        # has reached every phone.
        settle_s = await storm.wait_progress(len(acked_by(storm)), timeout=10)
    else:
        settle_s = 0.0
    await asyncio.sleep(0.3)
    close_started = time.perf_counter()
    if app:
        path = f"/v/{data['village_code']}/sessions/{data['session_id']}/polls/{poll_id}/close/"
        status = await http_post(server.port, path, data["chair_cookie"], f"csrfmiddlewaretoken={CSRF}")
        close_request_s = time.perf_counter() - close_started
        if status != 302:
            raise RuntimeError(f"closing the poll answered {status}")
    else:
        from websockets.asyncio.client import connect

        async with connect(storm.url, origin=storm.origin, compression=None) as controller:  # type: ignore[arg-type]
            await controller.recv()
            close_started = time.perf_counter()
            await controller.send(json.dumps({"type": "close", "poll": poll_id}))
            close_request_s = 0.0
            await storm.wait_closed(timeout)
    await storm.wait_closed(timeout)
    server.profile_window(open=False)
    final_s = final_result_time(storm, close_started)
    seen = [c.closed_at for c in storm.clients if c.closed_at is not None]
    acked = acked_by(storm)
    closed_events = [c.closed_event for c in storm.clients if c.closed_event]
    result: dict[str, Any] = {
        "acks": len(acked),
        "duplicates_acked": sum(1 for c in storm.clients if c.duplicate),
        **latency,
        "all_acked_s": round(acks_done - started, 3),
        "progress_settled_s": round(settle_s, 3),
        "close_request_s": round(close_request_s, 3),
        "first_result_s": round(min(seen) - close_started, 4) if seen else None,
        "final_result_on_all_s": final_s,
        "saw_final": len(closed_events),
        "progress_frames_per_client": round(
            sum(c.progress_seen for c in storm.clients) / max(len(storm.clients), 1), 2
        ),
        "server_cpu_votes_s": round(cpu_votes, 2),
    }
    if app:
        result.update(await asyncio.to_thread(_check_database, data, acked, closed_events, storm.live))
    else:
        result.update({"ballots_in_db": None, "lost": storm.live - len(acked), "doubled": 0})
    return result


def next_poll(data: dict[str, Any], number: int) -> dict[str, Any]:
    """The next round's vote: the current item finished, a new motion taken up and its poll
    created (the services); the chair then opens it through the server."""
    from django.utils import timezone

    from consultations.models import AgendaItem, ItemState, MotionItem, Session
    from consultations.services.polls import poll_create

    session = Session.objects.select_related("chair__user").get(pk=data["session_id"])
    chair = session.chair.user
    assert chair is not None
    AgendaItem.objects.filter(session=session, state=ItemState.CURRENT).update(
        state=ItemState.DONE, ended_at=timezone.now()
    )
    item = MotionItem.objects.create(
        session=session,
        position=number + 1,
        title=f"第{number + 1}项",
        text="同意",
        state=ItemState.CURRENT,
        started_at=timezone.now(),
        created_by=chair,
    )
    poll = poll_create(actor=chair, item=item, question=f"是否同意第{number + 1}项？")
    return {
        **data,
        "poll_id": poll.pk,
        "options": list(poll.options.order_by("position").values_list("pk", flat=True)),
    }


def acked_by(storm: Storm) -> set[str]:
    return {c.client_id for c in storm.clients if c.acked_at is not None}


def _check_database(
    data: dict[str, Any], acked: set[str], closed_events: list[dict[str, Any]], connected: int
) -> dict[str, Any]:
    """Lost: acknowledged but not stored, or a connected client's vote never answered (clients
    that could not connect sent nothing: they are counted in `errors`)."""
    from collections import Counter

    from consultations.models import Ballot, Poll, PollVoter

    poll = Poll.objects.get(pk=data["poll_id"])
    rows = list(Ballot.objects.filter(poll=poll).values_list("voter_id", "client_id"))
    stored = Counter(client_id for _voter, client_id in rows)
    voters = Counter(voter for voter, _client_id in rows)
    live_counts = {json.dumps(e["data"].get("counts"), sort_keys=True) for e in closed_events}
    return {
        "ballots_in_db": len(rows),
        "roll_marked_voted": PollVoter.objects.filter(poll=poll, has_voted=True).count(),
        "lost": len(acked - set(stored)) + (connected - len(acked)),
        "lost_acked_not_stored": len(acked - set(stored)),
        "not_acked": connected - len(acked),
        "doubled": sum(v - 1 for v in voters.values() if v > 1)
        + sum(v - 1 for v in stored.values() if v > 1),
        "votes_cast_closed": poll.votes_cast,
        "live_result_matches_db": live_counts == {json.dumps(poll.counts, sort_keys=True)},
    }


def machine() -> str:
    import psutil

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = psutil.virtual_memory().total / 2**30
    return f"{psutil.cpu_count()} cores {cpu}, {memory:.0f} GiB, Python {platform.python_version()}"


def table(report: dict[str, Any]) -> str:
    app, bare = report.get("app") or {}, report.get("bare") or {}
    keys = [
        "n", "rounds", "connected", "connect_s", "acks", "ballots_in_db", "lost", "doubled", "ack_p50_s",
        "ack_p99_s", "ack_max_s", "all_acked_s", "progress_settled_s", "close_request_s", "first_result_s",
        "final_result_on_all_s", "saw_final", "server_cpu_s", "server_cpu_votes_s", "idle_rss_mb",
        "peak_rss_mb", "rss_per_client_kb", "errors",
    ]  # fmt: skip
    lines = [
        f"vote storm — {report['backend']}, app on {report['app_processes']} daphne (bare on 1), "
        f"{report['machine']}",
        f"{'':24}{'app':>12}{'bare':>12}",
    ]
    for key in keys:
        lines.append(f"{key:24}{_cell(app.get(key)):>12}{_cell(bare.get(key)):>12}")
    for key in ("ack_p99_s", "final_result_on_all_s"):
        for name, side in (("app", app), ("bare", bare)):
            values = [r.get(key) for r in side.get("each_round", [])]
            if values:
                lines.append(f"{key} {name} by round: " + " / ".join(_cell(v) for v in values))
    for key, value in report.get("ratios", {}).items():
        lines.append(f"{'ratio app/bare ' + key:24}{_cell(value):>12}")
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def main() -> None:
    args = parse()
    workdir = Path(tempfile.mkdtemp(prefix="vote-storm-"))
    backend, env = environment(args, workdir)
    if args.processes > 1 and not backend.startswith("postgresql"):
        raise SystemExit(
            "--processes needs DATABASE_URL (PostgreSQL) and REDIS_URL: the processes share them"
        )
    n = args.n or (2000 if backend.startswith("postgresql") else 500)
    raise_open_files_limit(4 * n + 1024)
    os.environ.update(env)
    migrate_s = migrate(env)
    import django

    django.setup()
    started = time.perf_counter()
    data = build(n)
    build_s = time.perf_counter() - started
    from django.db import connections

    connections.close_all()
    report: dict[str, Any] = {
        "bench": "vote_storm",
        "backend": backend,
        "machine": machine(),
        "conn_max_age": args.conn_max_age,
        "migrate_s": round(migrate_s, 1),
        "build_s": round(build_s, 1),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "app_processes": args.processes,
    }
    if not args.skip_bare:
        bare_server = Server("bench.support.bare:application", env)
        try:
            report["bare"] = asyncio.run(run_bare(bare_server, n, args.rounds, args.timeout))
        finally:
            bare_server.stop()
    if not args.skip_app:
        profile = None if args.profile is None else args.profile.resolve()
        first = Server("villagegov.asgi:application", env, profile=profile)
        server: Server | Servers = first
        if args.processes > 1:
            # The clients spread over them as behind the proxy (deploy/nginx.conf).
            others = [Server("villagegov.asgi:application", env) for _ in range(args.processes - 1)]
            server = Servers([first, *others])
        try:
            report["app"] = asyncio.run(run_app(data, server, n, args.rounds, args.timeout))
        finally:
            server.stop()
    app, bare = report.get("app"), report.get("bare")
    if app and bare:
        report["ratios"] = {
            key: round(app[key] / bare[key], 2) if app.get(key) and bare.get(key) else None
            for key in RATIO_KEYS
        }
    line = json.dumps(report, ensure_ascii=False, separators=(",", ":"))
    print("BENCH " + line)
    print(table(report))
    if args.json:
        args.json.write_text(line + "\n")
    ok = app is not None and app["lost"] == 0 and app["doubled"] == 0
    if not args.skip_app and not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
