"""Several daphne processes (issue 6, part 4): two servers on the same PostgreSQL database and
Redis channel layer, as behind nginx (deploy/nginx.conf). A villager following the session on
one process sees what is done through the other — check-in, the vote opening, ballots cast by
form and over a socket, the close — in sequence order; after losing the connection and
reconnecting (to its process) it is caught up by the snapshot and carries on without a gap.
"""

import asyncio
from collections import Counter

import pytest
from django.urls import reverse

from consultations.models import Answer, Ballot, Poll, PollOption, PollState, PollVoter
from consultations.services.polls import poll_create
from consultations.tests.polls_testing import check_in, current_motion, seated_meeting, user_of
from consultations.tests.processes_testing import (
    Daphne,
    LiveClient,
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


def test_a_client_on_one_process_follows_what_is_done_through_another() -> None:
    meeting = seated_meeting(make_village(), members=5)
    chair, watcher, form_voter, socket_voter, latecomer = meeting.members
    check_in(meeting.session, chair, watcher, form_voter, socket_voter)  # the latecomer comes through B
    item = current_motion(meeting)
    poll = poll_create(actor=meeting.chair_user, item=item, question="是否同意修村道？")
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    no = PollOption.objects.get(poll=poll, answer=Answer.NO).pk
    code, session_id = meeting.village.admin_code, meeting.session.pk
    cookie = {person.pk: login_cookie(user_of(person)) for person in meeting.members}
    urls = {
        "attendance": reverse("attendance_record", args=[code, session_id]),
        "open": reverse("poll_open", args=[code, session_id, poll.pk]),
        "vote": reverse("poll_vote", args=[code, session_id, poll.pk]),
        "close": reverse("poll_close", args=[code, session_id, poll.pk]),
        "finish": reverse("agenda_item_finish", args=[code, session_id, item.pk]),
    }
    path = socket_path(code, session_id)
    env = server_environment(redis_url_for_servers())
    a, b = Daphne(env, name="daphne-a"), Daphne(env, name="daphne-b")

    async def scenario() -> None:
        # The watcher follows on A; a voter on B.
        on_a = LiveClient(a.port, path, cookie[watcher.pk], name="watcher on A")
        on_b = LiveClient(b.port, path, cookie[socket_voter.pk], name="voter on B")
        first = await on_a.connect()
        await on_b.connect()
        start = first["seq"]
        assert first["open_poll"] is None and first["quorum"]["attendees"] == 4

        async def through_b(url: str, person_pk: int, **fields: str | int) -> None:
            response = await http_post(b.port, url, cookie[person_pk], fields)
            assert response.status == 302, (url, response)

        # Sequenced events, done through B, seen on A in order.
        await through_b(urls["attendance"], chair.pk, person=latecomer.pk)
        await on_a.wait_for("the latecomer's check-in", lambda: on_a.events_of("attendance.changed"))
        assert on_a.events_of("attendance.changed")[0]["data"]["attendees"] == 5
        await through_b(urls["open"], chair.pk)
        await on_a.wait_for("the vote opening", lambda: on_a.events_of("poll.opened"))

        # A ballot through B's HTML form; A's client sees the count.
        await through_b(urls["vote"], form_voter.pk, choices=yes, client_id="form-ballot-1")

        def progress(client: LiveClient, voted: int) -> bool:
            return any(
                f["poll"] == poll.pk and f["voted"] == voted for f in client.frames_of("poll.progress")
            )

        await on_a.wait_for("1 voted", lambda: progress(on_a, 1))
        # A ballot over B's socket; then one over A's socket, seen on B.
        ballot = vote_message(poll.pk, yes)
        await on_b.send(ballot)
        assert (await on_b.wait_for("the ack", lambda: on_b.answer_to(ballot["client_id"])))["type"] == "ack"
        await on_a.wait_for("2 voted", lambda: progress(on_a, 2))
        ballot = vote_message(poll.pk, no)
        await on_a.send(ballot)
        answer = await on_a.wait_for("the ack", lambda: on_a.answer_to(ballot["client_id"]))
        assert answer == {
            "type": "ack",
            "client_id": ballot["client_id"],
            "poll": poll.pk,
            "duplicate": False,
        }
        await on_b.wait_for("3 voted", lambda: progress(on_b, 3))

        # The watcher's connection drops; meanwhile the latecomer votes and the chair closes.
        last_seen = on_a.seq
        assert last_seen == start + 2 and not on_a.gaps
        await on_a.drop()
        await through_b(urls["vote"], latecomer.pk, choices=yes, client_id="form-ballot-2")
        await through_b(urls["close"], chair.pk)
        closed = await on_b.wait_for("the close on B", lambda: on_b.events_of("poll.closed"))
        assert closed[0]["seq"] == start + 3 and closed[0]["data"]["votes_cast"] == 4

        # Reconnecting to A: the snapshot holds what was missed and its seq covers the events.
        snapshot = await on_a.connect()
        live_seq = await in_thread_db(lambda: type(meeting.session).objects.get(pk=session_id).live_seq)
        assert snapshot["seq"] == live_seq == start + 3 > last_seen
        assert snapshot["open_poll"] is None
        (result,) = [p for p in snapshot["closed_polls"] if p["id"] == poll.pk]
        assert (
            result["votes_cast"] == 4 and result["counts"][str(yes)] == 3 and result["counts"][str(no)] == 1
        )

        # The next event through B follows the snapshot's number: no gap.
        before = len(on_a.events)
        await through_b(urls["finish"], chair.pk)
        await on_a.wait_for("the item finishing", lambda: len(on_a.events) > before)
        assert on_a.events[before]["seq"] == snapshot["seq"] + 1
        await on_b.wait_for("the item finishing on B", lambda: on_b.seq == on_a.seq)

        # Each client saw every numbered event once, in order: B's all of them, A's all but the
        # close (it was away), which its snapshot holds. Neither ever had to resync.
        end = on_b.seq
        assert end is not None and end >= start + 4
        assert [e["seq"] for e in on_b.events] == list(range(start + 1, end + 1))
        assert [e["seq"] for e in on_a.events] == [*range(start + 1, start + 3), *range(start + 4, end + 1)]
        seen_on_b = {e["seq"]: e for e in on_b.events}
        assert all(seen_on_b[e["seq"]] == e for e in on_a.events)  # the same events, whichever process
        assert seen_on_b[start + 3]["type"] == "poll.closed"
        assert not on_a.gaps and not on_b.gaps
        await on_a.close()
        await on_b.close()

    with servers(a, b):
        a.start(wait=False)
        b.start(wait=False)
        a.wait_listening()
        b.wait_listening()
        asyncio.run(asyncio.wait_for(scenario(), 60))

    poll = Poll.objects.get(pk=poll.pk)
    assert poll.state == PollState.CLOSED and poll.votes_cast == 4
    voters = Counter(Ballot.objects.filter(poll=poll).values_list("voter_id", flat=True))
    assert sorted(voters.values()) == [1, 1, 1, 1]
    assert PollVoter.objects.filter(poll=poll, has_voted=True).count() == 4
