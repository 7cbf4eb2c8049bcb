"""The live socket's ballot batches (consumers.BallotBatcher, cast_batch): the votes that arrive
while a batch is in the database form the next one, each voter gets their own answer in their
batch's order, a batch that fails answers its voters with an error and does not stop the next,
and a group of ballots that fails as a whole is cast again one ballot at a time."""

import asyncio
import threading
from typing import Any, cast

import pytest
from asgiref.sync import sync_to_async
from django.db import IntegrityError

from consultations import consumers
from consultations.consumers import BallotBatcher, PendingVote, cast_batch
from consultations.models import Answer, Ballot, PollOption
from consultations.tests.polls_testing import open_motion_poll, seated_meeting, user_of
from villagegov.models import Village


def pending(client_id: str) -> PendingVote:
    return PendingVote(
        session=cast(Any, None),
        user=cast(Any, None),
        language="en",
        poll_id=1,
        choices=[1],
        client_id=client_id,
        proxy_for=None,
    )


class FakeDatabase:
    """Stands in for `cast_batch` (in the database thread): records each batch and holds the
    first one until released; a batch with a client id in `failing` raises."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.release = threading.Event()
        self.failing: frozenset[str] = frozenset()

    def __call__(self, batch: list[PendingVote]) -> list[dict[str, Any]]:
        self.batches.append([vote.client_id for vote in batch])
        if len(self.batches) == 1:
            self.release.wait(5)
        if any(vote.client_id in self.failing for vote in batch):
            raise RuntimeError("the database went away")
        return [{"type": "ack", "client_id": vote.client_id} for vote in batch]


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch) -> FakeDatabase:
    """The fake in place of `cast_batch`, called through plain `sync_to_async` (the same one
    thread): `database_sync_to_async` would first close that thread's database connections, and
    these tests have no database."""
    fake = FakeDatabase()
    monkeypatch.setattr(consumers, "cast_batch", fake)
    monkeypatch.setattr(consumers, "database_sync_to_async", sync_to_async)
    return fake


async def storm(database: FakeDatabase, later: str) -> list[dict[str, Any]]:
    """Vote "a" goes into the database alone; the votes `later` arrive while it is there."""
    batcher = BallotBatcher()
    first = asyncio.ensure_future(batcher.cast(pending("a")))
    for _ in range(400):
        if database.batches:
            break
        await asyncio.sleep(0.005)
    assert database.batches == [["a"]], await first
    others = [asyncio.ensure_future(batcher.cast(pending(client_id))) for client_id in later]
    await asyncio.sleep(0.02)
    database.release.set()
    return list(await asyncio.wait_for(asyncio.gather(first, *others), 10))


@pytest.mark.asyncio
async def test_votes_arriving_while_a_batch_is_in_the_database_form_the_next(
    database: FakeDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(consumers, "BATCH_MAX", 3)

    answers = await storm(database, "bcdef")

    assert database.batches == [["a"], ["b", "c", "d"], ["e", "f"]]
    assert [(answer["type"], answer["client_id"]) for answer in answers] == [("ack", c) for c in "abcdef"]


@pytest.mark.asyncio
async def test_a_failed_batch_answers_its_voters_with_an_error_and_the_next_goes_on(
    database: FakeDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    database.failing = frozenset({"c"})
    monkeypatch.setattr(consumers, "BATCH_MAX", 2)

    answers = await storm(database, "bcd")

    assert database.batches == [["a"], ["b", "c"], ["d"]]
    assert [(answer["type"], answer.get("code")) for answer in answers] == [
        ("ack", None),
        ("error", "server_error"),
        ("error", "server_error"),
        ("ack", None),
    ]
    assert answers[1]["message"] == "Something went wrong; nothing changed. Try again."


@pytest.mark.django_db
def test_a_group_that_fails_as_a_whole_is_cast_one_ballot_at_a_time(
    village: Village, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = seated_meeting(village, members=3)
    poll = open_motion_poll(meeting, present=2)  # the third member came late: not on the roll
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    voter, latecomer = meeting.members[1], meeting.members[2]

    def deadlocked(votes: list[PendingVote]) -> list[dict[str, Any]]:
        raise IntegrityError("deadlock detected")

    monkeypatch.setattr(consumers, "_cast_group", deadlocked)
    votes = [
        PendingVote(
            session=meeting.session,
            user=user_of(person),
            language="en",
            poll_id=poll.pk,
            choices=[yes],
            client_id=f"phone-{person.pk}",
            proxy_for=None,
        )
        for person in (voter, latecomer)
    ]

    answers = cast_batch(votes)

    assert answers[0] == {
        "type": "ack",
        "client_id": f"phone-{voter.pk}",
        "poll": poll.pk,
        "duplicate": False,
    }
    assert answers[1]["type"] == "error" and answers[1]["code"] == "refused"
    assert "not on its voter roll" in answers[1]["message"]
    assert list(Ballot.objects.filter(poll=poll).values_list("voter_id", flat=True)) == [voter.pk]
