"""On PostgreSQL any plain UPDATE or DELETE (the app's too) is refused: what no service does to
ballots: changing or deleting a secret ballot or a named ballot's history, deleting a named
ballot or a row of the roll, and changing either once the vote is not open."""

from collections.abc import Callable

import pytest
from django.db import IntegrityError, connection, transaction

from consultations.models import Answer, Ballot, BallotChange, PollOption, PollVoter, SecretBallot
from consultations.services.polls import ballot_cast, poll_close
from consultations.tests.polls_testing import open_motion_poll, seated_meeting, user_of
from villagegov.models import Village

pytestmark = [
    pytest.mark.usefixtures("english"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the ballots' guard triggers are PostgreSQL's (SQLite has none)",
    ),
]


def refused(action: Callable[[], object]) -> None:
    """The trigger refuses (its message says so), not some other check."""
    with pytest.raises(IntegrityError, match="refused"), transaction.atomic():
        action()


def test_secret_ballots_are_never_changed_or_deleted(village: Village) -> None:
    meeting = seated_meeting(village, members=3)
    poll = open_motion_poll(meeting, secret=True)
    yes, no = (PollOption.objects.get(poll=poll, answer=answer).pk for answer in (Answer.YES, Answer.NO))
    for member in meeting.members:
        ballot_cast(actor=user_of(member), poll=poll, choices=[yes])
    poll_close(actor=meeting.chair_user, poll=poll)
    box = SecretBallot.objects.filter(poll=poll)
    refused(lambda: box.update(choices=[no]))
    refused(lambda: box.delete())
    assert list(box.values_list("choices", flat=True)) == [[yes]] * 3


def test_named_ballots_change_only_while_the_vote_is_open_and_are_never_deleted(village: Village) -> None:
    meeting = seated_meeting(village, members=3)
    poll = open_motion_poll(meeting, allow_change=True)
    yes, no = (PollOption.objects.get(poll=poll, answer=answer).pk for answer in (Answer.YES, Answer.NO))
    voter = user_of(meeting.members[0])
    ballot_cast(actor=voter, poll=poll, choices=[yes])
    ballot_cast(actor=voter, poll=poll, choices=[no])  # a change, allowed while open
    ballot_cast(actor=user_of(meeting.members[1]), poll=poll, choices=[no])
    ballots = Ballot.objects.filter(poll=poll)
    history = BallotChange.objects.filter(ballot__poll=poll)
    roll = PollVoter.objects.filter(poll=poll)
    assert history.count() == 1
    # (the changed ballot is kept by its history's foreign key already: the unchanged one)
    refused(lambda: ballots.filter(voter=meeting.members[1]).delete())
    refused(lambda: roll.filter(has_voted=False).delete())
    refused(lambda: history.update(previous_choices=[no]))
    refused(lambda: history.delete())
    poll_close(actor=meeting.chair_user, poll=poll)
    refused(lambda: ballots.update(choices=[yes]))
    refused(lambda: roll.update(has_voted=True))
    assert list(ballots.values_list("choices", flat=True)) == [[no], [no]]
    assert roll.filter(has_voted=True).count() == 2


def test_the_roll_records_votes_while_open(village: Village) -> None:
    meeting = seated_meeting(village, members=3)
    poll = open_motion_poll(meeting)
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    for member in meeting.members:
        ballot_cast(actor=user_of(member), poll=poll, choices=[yes])
    assert PollVoter.objects.filter(poll=poll, has_voted=True).count() == 3
