"""A closed vote is sealed in the audit log with its result, options, ballots (named, with their
changes, or secret) and roll: `verify_audit_log` names the vote and the part changed, removed or
swapped afterwards with raw SQL."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone

from consultations.models import (
    Answer,
    Ballot,
    BallotChange,
    Poll,
    PollOption,
    PollVoter,
    SecretBallot,
)
from consultations.services.polls import ballot_cast, poll_close
from consultations.tests.polls_testing import open_motion_poll, seated_meeting, user_of
from villagegov.models import AuditRecord, Person, Village
from villagegov.seals import SEALS_KEY
from villagegov.tests.tamper_testing import swap, tamper, verify, verify_fails

pytestmark = pytest.mark.usefixtures("english")

POLL = Poll._meta.db_table
OPTION = PollOption._meta.db_table
BALLOT = Ballot._meta.db_table
CHANGE = BallotChange._meta.db_table
SECRET = SecretBallot._meta.db_table
ROLL = PollVoter._meta.db_table


@dataclass
class ClosedVote:
    poll: Poll
    members: list[Person]  # the last one did not vote

    def option(self, answer: Answer) -> int:
        return PollOption.objects.get(poll=self.poll, answer=answer).pk

    def ballot(self, member: int) -> int:
        return Ballot.objects.get(poll=self.poll, voter=self.members[member]).pk

    def roll_row(self, member: int) -> int:
        return PollVoter.objects.get(poll=self.poll, person=self.members[member]).pk

    @property
    def name(self) -> str:
        return f"consultations.poll #{self.poll.pk}"


def named_vote(village: Village) -> ClosedVote:
    """Four members: in favour, against, in favour changed to abstain, and one who did not vote."""
    meeting = seated_meeting(village, members=4)
    poll = open_motion_poll(meeting, allow_change=True)
    vote = ClosedVote(poll, meeting.members)
    for member, answer in zip(meeting.members, (Answer.YES, Answer.NO, Answer.YES), strict=False):
        ballot_cast(actor=user_of(member), poll=poll, choices=[vote.option(answer)])
    ballot_cast(actor=user_of(meeting.members[2]), poll=poll, choices=[vote.option(Answer.ABSTAIN)])
    vote.poll = poll_close(actor=meeting.chair_user, poll=poll)
    assert BallotChange.objects.filter(ballot__poll=poll).count() == 1
    return vote


def secret_vote(village: Village) -> ClosedVote:
    meeting = seated_meeting(village, members=4)
    poll = open_motion_poll(meeting, secret=True)
    vote = ClosedVote(poll, meeting.members)
    for member, answer in zip(meeting.members, (Answer.YES, Answer.NO, Answer.YES), strict=False):
        ballot_cast(actor=user_of(member), poll=poll, choices=[vote.option(answer)])
    vote.poll = poll_close(actor=meeting.chair_user, poll=poll)
    assert SecretBallot.objects.filter(poll=poll).count() == 3
    return vote


def boxed(vote: ClosedVote, answer: Answer) -> str:
    """The key of a secret ballot with this answer, as both databases read it in SQL."""
    chosen = [vote.option(answer)]
    return next(b.pk.hex for b in SecretBallot.objects.filter(poll=vote.poll) if b.choices == chosen)


def test_untouched_votes_pass(village: Village, other_village: Village) -> None:
    named_vote(village)
    secret_vote(other_village)
    assert "every sealed row matches" in verify()


def test_the_close_seals_the_vote_in_its_own_audit_record(village: Village) -> None:
    vote = named_vote(village)
    record = AuditRecord.objects.get(action="poll.close", target_id=str(vote.poll.pk))
    assert record.after is not None
    parts = record.after[SEALS_KEY][f"consultations.poll:{vote.poll.pk}"]
    assert set(parts) == {"result", "options", "ballots", "ballot_changes", "secret_ballots", "roll"}


Tamper = Callable[[ClosedVote], object]

NAMED: list[tuple[str, Tamper, str]] = [
    (
        "result-altered",
        lambda v: tamper(f"UPDATE {POLL} SET explanation_zh = %s WHERE id = %s", ["通过", v.poll.pk]),
        "result",
    ),
    (
        "counts-altered",
        lambda v: tamper(f"UPDATE {POLL} SET votes_cast = votes_cast + 1 WHERE id = %s", [v.poll.pk]),
        "result",
    ),
    (
        "option-altered",
        lambda v: tamper(f"UPDATE {OPTION} SET label = %s WHERE id = %s", ["改", v.option(Answer.NO)]),
        "options",
    ),
    (
        "ballot-altered",
        lambda v: tamper(
            f"UPDATE {BALLOT} SET choices = %s WHERE id = %s",
            [f"[{v.option(Answer.YES)}]", v.ballot(1)],
            BALLOT,
        ),
        "ballots",
    ),
    (
        "ballot-removed",
        lambda v: tamper(f"DELETE FROM {BALLOT} WHERE id = %s", [v.ballot(0)], BALLOT),
        "ballots",
    ),
    ("ballots-swapped", lambda v: swap(BALLOT, "choices", v.ballot(0), v.ballot(1)), "ballots"),
    (
        "ballot-added",
        lambda v: tamper(
            f"INSERT INTO {BALLOT} (poll_id, voter_id, cast_by_id, choices, cast_at, client_id)"
            " VALUES (%s, %s, %s, %s, %s, '')",
            [v.poll.pk, v.members[3].pk, v.members[3].pk, f"[{v.option(Answer.YES)}]", timezone.now()],
            BALLOT,
        ),
        "ballots",
    ),
    (
        "ballot-history-altered",
        lambda v: tamper(f"UPDATE {CHANGE} SET previous_choices = %s", [f"[{v.option(Answer.NO)}]"], CHANGE),
        "ballot_changes",
    ),
    ("ballot-history-removed", lambda v: tamper(f"DELETE FROM {CHANGE}", [], CHANGE), "ballot_changes"),
    (
        "roll-altered",
        lambda v: tamper(f"UPDATE {ROLL} SET has_voted = %s WHERE id = %s", [True, v.roll_row(3)], ROLL),
        "roll",
    ),
    ("roll-swapped", lambda v: swap(ROLL, "has_voted", v.roll_row(0), v.roll_row(3)), "roll"),
    ("roll-removed", lambda v: tamper(f"DELETE FROM {ROLL} WHERE id = %s", [v.roll_row(3)], ROLL), "roll"),
]


@pytest.mark.parametrize(("tampering", "part"), [(t, p) for _, t, p in NAMED], ids=[i for i, _, _ in NAMED])
def test_a_named_vote_changed_afterwards_is_named(village: Village, tampering: Tamper, part: str) -> None:
    vote = named_vote(village)
    tampering(vote)
    assert f"{vote.name} ({part}): row altered" in verify_fails()


SECRET_TAMPERING: list[tuple[str, Tamper, str]] = [
    (
        "ballot-altered",
        lambda v: tamper(
            f"UPDATE {SECRET} SET choices = %s WHERE id = %s",
            [f"[{v.option(Answer.YES)}]", boxed(v, Answer.NO)],
            SECRET,
        ),
        "secret_ballots",
    ),
    (
        "ballot-removed",
        lambda v: tamper(f"DELETE FROM {SECRET} WHERE id = %s", [boxed(v, Answer.NO)], SECRET),
        "secret_ballots",
    ),
    (
        "ballots-swapped",
        lambda v: swap(SECRET, "choices", boxed(v, Answer.NO), boxed(v, Answer.YES)),
        "secret_ballots",
    ),
    (
        "roll-altered",
        lambda v: tamper(f"UPDATE {ROLL} SET has_voted = %s WHERE id = %s", [True, v.roll_row(3)], ROLL),
        "roll",
    ),
]


@pytest.mark.parametrize(
    ("tampering", "part"), [(t, p) for _, t, p in SECRET_TAMPERING], ids=[i for i, _, _ in SECRET_TAMPERING]
)
def test_a_secret_vote_changed_afterwards_is_named(village: Village, tampering: Tamper, part: str) -> None:
    vote = secret_vote(village)
    tampering(vote)
    assert f"{vote.name} ({part}): row altered" in verify_fails()


def test_a_vote_removed_with_all_its_rows_is_named(village: Village) -> None:
    vote = named_vote(village)
    pk = vote.poll.pk
    tamper(f"DELETE FROM {CHANGE}", [], CHANGE)
    for table in (BALLOT, ROLL, OPTION):
        tamper(f"DELETE FROM {table} WHERE poll_id = %s", [pk], table)
    tamper(f"DELETE FROM {POLL} WHERE id = %s", [pk], POLL)
    assert f"{vote.name}: row removed" in verify_fails()


def test_a_vote_closed_behind_the_services_back_is_not_in_the_audit_log(village: Village) -> None:
    meeting = seated_meeting(village, members=3)
    poll = open_motion_poll(meeting)
    tamper(
        f"UPDATE {POLL} SET state = 'closed', closed_at = %s WHERE id = %s", [timezone.now(), poll.pk], POLL
    )
    assert f"consultations.poll #{poll.pk}: row not in the audit log" in verify_fails()


def test_a_vote_reopened_afterwards_is_named(village: Village) -> None:
    vote = named_vote(village)
    tamper(f"UPDATE {POLL} SET state = 'open', closed_at = NULL WHERE id = %s", [vote.poll.pk], POLL)
    assert f"{vote.name} (result): row altered" in verify_fails()
