"""On PostgreSQL, with real row locks: one voter from 8 connections at once gets exactly one
ballot; ballots racing the close are either counted or refused, never half-counted."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from consultations.models import Answer, Ballot, BallotIntake, PollOption, PollVoter, SecretBallot
from consultations.services.polls import BallotReceipt, ballot_cast, poll_close
from consultations.tests.polls_testing import open_motion_poll, seated_meeting, user_of
from villagegov.testing import make_village

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.usefixtures("english"),
]


def _in_thread(fn):
    def run(*args):
        try:
            return fn(*args)
        finally:
            connections.close_all()

    return run


@pytest.mark.parametrize("secret", [False, True], ids=["named", "secret"])
def test_the_same_voter_from_eight_connections_gets_one_ballot(secret: bool) -> None:
    meeting = seated_meeting(make_village())
    poll = open_motion_poll(meeting, secret=secret)
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    voter = user_of(meeting.members[1])
    barrier = threading.Barrier(8)

    @_in_thread
    def cast(index: int) -> BallotReceipt | str:
        barrier.wait()
        try:
            return ballot_cast(actor=voter, poll=poll, choices=[yes], client_id="same-request")
        except ValidationError as error:
            return " ".join(error.messages)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(cast, range(8)))
    receipts = [r for r in results if isinstance(r, BallotReceipt)]
    assert len(receipts) == 8, results  # a resend of the same request is acknowledged, not refused
    assert sum(not r.duplicate for r in receipts) == 1
    assert all(r.poll_id == poll.pk and r.client_id == "same-request" for r in receipts)
    box = BallotIntake if secret else Ballot  # a secret ballot waits in the intake until the close
    assert box.objects.filter(poll=poll).count() == 1
    assert PollVoter.objects.filter(poll=poll, has_voted=True).count() == 1


def test_ballots_racing_the_close_are_counted_or_refused() -> None:
    meeting = seated_meeting(make_village(), members=30)
    poll = open_motion_poll(meeting, secret=True)
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    barrier = threading.Barrier(len(meeting.members) + 1)

    @_in_thread
    def cast(index: int) -> bool:
        barrier.wait()
        try:
            ballot_cast(actor=user_of(meeting.members[index]), poll=poll, choices=[yes])
        except ValidationError:
            return False
        return True

    @_in_thread
    def close() -> None:
        barrier.wait()
        poll_close(actor=meeting.chair_user, poll=poll)

    with ThreadPoolExecutor(len(meeting.members) + 1) as pool:
        futures = [pool.submit(cast, i) for i in range(len(meeting.members))]
        closing = pool.submit(close)
        accepted = sum(f.result() for f in futures)
        closing.result()
    poll.refresh_from_db()
    stored = SecretBallot.objects.filter(poll=poll).count()
    assert stored == accepted == poll.votes_cast == poll.counts[str(yes)]
    assert not BallotIntake.objects.filter(poll=poll).exists()
    assert PollVoter.objects.filter(poll=poll, has_voted=True).count() == stored
