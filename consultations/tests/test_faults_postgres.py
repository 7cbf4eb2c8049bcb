"""Faults (issue 6, part 5), on PostgreSQL + Redis with real daphne processes.

- Redis stops in the middle of a vote: ballots through the plain HTML form are still committed
  and counted (on a process with sockets and on one without), and so is a ballot over a socket
  that stays open. A phone that tries to connect meanwhile gets in once Redis is back. Live
  updates then resume: the check-in whose event was lost shows up as a gap, which the client
  heals with a resync. The Redis here is the test's own `redis-server` on a free port, never
  the machine's shared one.
- daphne is killed (SIGKILL) in the middle of a storm of socket ballots and started again:
  every acknowledged ballot is in the database, and the clients that resend their ballot with
  the same `client_id` after reconnecting are answered `duplicate` where it had been committed,
  and counted once.
"""

import asyncio
import contextlib
from collections import Counter
from functools import partial

import pytest
from django.urls import reverse

from consultations.models import Answer, Ballot, Poll, PollOption, PollState, PollVoter
from consultations.services.polls import poll_create, poll_open
from consultations.tests.polls_testing import (
    check_in,
    current_motion,
    open_motion_poll,
    seated_meeting,
    user_of,
)
from consultations.tests.processes_testing import (
    Daphne,
    LiveClient,
    RedisServer,
    await_until,
    await_until_db,
    database_sessions,
    http_post,
    in_thread_db,
    login_cookie,
    needs_postgres_and_redis,
    redis_url_for_servers,
    server_environment,
    servers,
    socket_path,
    vote_message,
)
from villagegov.testing import make_village

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_postgres_and_redis,
    pytest.mark.usefixtures("english"),
]


def _voted(poll_id: int) -> int:
    return PollVoter.objects.filter(poll_id=poll_id, has_voted=True).count()


def test_with_redis_stopped_form_ballots_count_and_live_updates_resume_when_it_returns() -> None:
    meeting = seated_meeting(make_village(), members=7)
    chair, watcher, *voters, latecomer = meeting.members
    check_in(meeting.session, *meeting.members[:-1])  # the latecomer checks in while Redis is down
    poll = poll_open(
        actor=meeting.chair_user,
        poll=poll_create(actor=meeting.chair_user, item=current_motion(meeting), question="是否同意修村道？"),
    )
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    no = PollOption.objects.get(poll=poll, answer=Answer.NO).pk
    code, session_id = meeting.village.admin_code, meeting.session.pk
    cookie = {person.pk: login_cookie(user_of(person)) for person in meeting.members}
    vote_url = reverse("poll_vote", args=[code, session_id, poll.pk])
    path = socket_path(code, session_id)
    redis = RedisServer()
    redis.start()
    env = server_environment(redis.url)
    group_channel = f"{env['CHANNEL_LAYER_PREFIX']}__group__session-{session_id}"
    # A has the live sockets; B serves forms only (no socket ever: the other progress path).
    a, b = Daphne(env, name="daphne-a"), Daphne(env, name="daphne-b")

    async def form_vote(server: Daphne, person_pk: int, option: int) -> None:
        response = await http_post(server.port, vote_url, cookie[person_pk], {"choices": option})
        assert response.status == 302, (server.name, response, server.output()[-3000:])

    def progress(client: LiveClient, voted: int) -> bool:
        return any(f["poll"] == poll.pk and f["voted"] == voted for f in client.frames_of("poll.progress"))

    async def scenario() -> None:
        on_a = LiveClient(a.port, path, cookie[watcher.pk], name="watcher")
        first = await on_a.connect()
        await form_vote(a, voters[0].pk, yes)
        await on_a.wait_for("1 voted, live", lambda: progress(on_a, 1))

        # Redis goes away. The forms still work, on both processes; the socket stays open.
        redis.stop()
        await form_vote(a, voters[1].pk, yes)
        await form_vote(b, voters[2].pk, no)
        response = await http_post(
            a.port,
            reverse("attendance_record", args=[code, session_id]),
            cookie[chair.pk],
            {"person": latecomer.pk},
        )
        assert response.status == 302, response
        # A ballot over the open socket is cast and acknowledged too (the ack needs no Redis).
        ballot = vote_message(poll.pk, no)
        await on_a.send(ballot)
        answer = await on_a.wait_for("the ack", lambda: on_a.answer_to(ballot["client_id"]))
        assert answer["type"] == "ack" and answer["duplicate"] is False, answer
        assert await in_thread_db(lambda: _voted(poll.pk)) == 4
        assert on_a.ws is not None and on_a.ws.close_code is None
        # A phone joining now cannot subscribe: it keeps trying, with back-off.
        joining = LiveClient(a.port, path, cookie[voters[3].pk], name="joining")
        join = asyncio.create_task(joining.connect(timeout=30))
        await joining.wait_for("a refused attempt", lambda: joining.failed_attempts >= 2)
        assert not join.done()

        # Redis is back (empty: nothing was saved). The joining phone gets in and sees the count.
        redis.start()
        snapshot = await asyncio.wait_for(join, 30)
        assert snapshot["open_poll"]["voted"] == 4
        # Live updates resume: A's subscriptions are back on the new Redis, and the next ballot
        # (through B, the process without sockets) reaches both.
        await on_a.wait_for("A to subscribe again", lambda: redis.subscribers(group_channel) >= 1, timeout=20)
        await form_vote(b, voters[3].pk, yes)
        for client in (on_a, joining):
            await client.wait_for("5 voted, live again", partial(progress, client, 5))

        # The close is numbered after the lost check-in's event: the watcher sees the gap and
        # resyncs; the joining phone, whose snapshot already held the check-in, sees no gap.
        closing = await http_post(
            b.port, reverse("poll_close", args=[code, session_id, poll.pk]), cookie[chair.pk], {}
        )
        assert closing.status == 302, closing
        for client in (on_a, joining):
            await client.wait_for("the close", partial(client.events_of, "poll.closed"))
        assert on_a.gaps == [(first["seq"], first["seq"] + 2)]
        await on_a.wait_for("the resync's snapshot", lambda: len(on_a.snapshots) == 2)
        healed = on_a.snapshots[-1]
        assert healed["seq"] == first["seq"] + 2 and healed["quorum"]["attendees"] == 7
        assert not joining.gaps and joining.seq == healed["seq"]
        await on_a.close()
        await joining.close()

    with servers(a, b, redis):
        a.start(wait=False)
        b.start(wait=False)
        a.wait_listening()
        b.wait_listening()
        asyncio.run(asyncio.wait_for(scenario(), 90))

    poll = Poll.objects.get(pk=poll.pk)
    assert poll.state == PollState.CLOSED and poll.votes_cast == 5
    assert poll.counts[str(yes)] == 3 and poll.counts[str(no)] == 2
    assert Ballot.objects.filter(poll=poll).count() == _voted(poll.pk) == 5


VOTERS = 60


def test_daphne_killed_mid_storm_keeps_every_acknowledged_ballot_and_counts_resends_once() -> None:
    meeting = seated_meeting(make_village(), members=VOTERS + 1)
    chair, *voters = meeting.members
    poll = open_motion_poll(meeting)
    options = list(PollOption.objects.filter(poll=poll).order_by("position").values_list("pk", flat=True))
    code, session_id = meeting.village.admin_code, meeting.session.pk
    cookie = {person.pk: login_cookie(user_of(person)) for person in meeting.members}
    server = Daphne(server_environment(redis_url_for_servers()), name="daphne")
    path = socket_path(code, session_id)
    outcome: dict[str, object] = {}

    async def scenario() -> None:
        clients = [
            LiveClient(server.port, path, cookie[p.pk], name=f"voter {i}") for i, p in enumerate(voters)
        ]
        ballots = [vote_message(poll.pk, options[i % len(options)]) for i in range(VOTERS)]
        gate = asyncio.Semaphore(20)

        async def join(client: LiveClient) -> None:
            async with gate:
                await client.connect()

        await asyncio.gather(*(join(c) for c in clients))

        def acked() -> list[int]:
            return [
                i
                for i, c in enumerate(clients)
                if (c.answer_to(ballots[i]["client_id"]) or {}).get("type") == "ack"
            ]

        # The storm, in three waves: the first is sent and acknowledged; the second is sent at
        # once and the server is killed as soon as one of it is acknowledged, the rest of it being
        # committed, in flight or unread; the third is sent into the dead server's sockets.
        third = VOTERS // 3
        waves = [range(0, third), range(third, 2 * third), range(2 * third, VOTERS)]

        async def send(wave: range) -> None:
            for i in wave:
                with contextlib.suppress(Exception):  # the connection is gone: resent after reconnecting
                    await clients[i].send(ballots[i])

        await send(waves[0])
        await await_until(lambda: set(waves[0]) <= set(acked()), "the first wave acknowledged")
        await send(waves[1])
        await await_until(lambda: set(waves[1]) & set(acked()), "a ballot of the second wave acknowledged")
        server.kill()
        await send(waves[2])
        acked_before = set(acked())
        for client in clients:
            await client.drop()
        # What the dead server had committed: once PostgreSQL has ended its connections (a
        # COMMIT it had already received is finished, an open transaction rolled back).
        await await_until_db(
            lambda: database_sessions(server.application_name) == 0,
            "the killed server's database connections to end",
        )
        stored_at_kill = await in_thread_db(
            lambda: set(Ballot.objects.filter(poll=poll).values_list("client_id", flat=True))
        )
        outcome.update(acked_before=acked_before, stored_at_kill=stored_at_kill)
        # Every acknowledged ballot had committed; the third wave never reached a server.
        assert {ballots[i]["client_id"] for i in acked_before} <= stored_at_kill
        assert not acked_before & set(waves[2])
        assert not {ballots[i]["client_id"] for i in waves[2]} & stored_at_kill

        # The server comes back; every phone reconnects and resends its ballot, same client_id
        # (the acknowledged ones too: a phone that is not sure must be able to).
        server.start()
        await asyncio.gather(*(join(c) for c in clients))
        marks = [len(c.frames) for c in clients]
        await asyncio.gather(*(c.send(b) for c, b in zip(clients, ballots, strict=True)))
        answers = []
        for i, client in enumerate(clients):
            answers.append(
                await client.wait_for(
                    "the resend's answer",
                    partial(client.answer_to, ballots[i]["client_id"], after=marks[i]),
                )
            )
        outcome["answers"] = answers
        # A second ballot with a new client_id is a new ballot, refused: the voter has voted.
        again = vote_message(poll.pk, options[0])
        await clients[0].send(again)
        refusal = await clients[0].wait_for("the refusal", lambda: clients[0].answer_to(again["client_id"]))
        assert refusal["type"] == "error" and refusal["code"] == "refused", refusal
        closing = await http_post(
            server.port, reverse("poll_close", args=[code, session_id, poll.pk]), cookie[chair.pk], {}
        )
        assert closing.status == 302, closing
        for client in clients:
            await client.close()

    with servers(server):
        server.start()
        asyncio.run(asyncio.wait_for(scenario(), 120))

    answers = outcome["answers"]
    assert isinstance(answers, list)
    assert all(answer["type"] == "ack" for answer in answers), [a for a in answers if a["type"] != "ack"]
    stored_at_kill = outcome["stored_at_kill"]
    assert isinstance(stored_at_kill, set)
    ballots_by_client = {answer["client_id"]: answer for answer in answers}
    # A resend of a ballot committed before the kill changed nothing; the others were cast now.
    for client_id, answer in ballots_by_client.items():
        assert answer["duplicate"] == (client_id in stored_at_kill), answer
    rows = list(Ballot.objects.filter(poll_id=poll.pk).values_list("voter_id", "client_id"))
    assert len(rows) == VOTERS
    assert Counter(voter for voter, _ in rows).most_common(1)[0][1] == 1
    assert {client_id for _, client_id in rows} == set(ballots_by_client)
    poll = Poll.objects.get(pk=poll.pk)
    assert poll.state == PollState.CLOSED and poll.votes_cast == VOTERS
    expected = Counter(str(options[i % len(options)]) for i in range(VOTERS))
    assert {option: poll.counts.get(option, 0) for option in expected} == dict(expected)
    assert _voted(poll.pk) == VOTERS
