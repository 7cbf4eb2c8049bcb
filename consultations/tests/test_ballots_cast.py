"""Casting a batch of ballots (the live socket's storms): each voter's roll row is marked with
that voter's own request id, however many UPDATE statements the batch takes, and a refused
ballot in the batch marks nothing."""

import pytest
from django.core.exceptions import ValidationError

from consultations.models import Answer, Ballot, BallotIntake, PollOption, PollVoter
from consultations.services.polls import BallotReceipt, BallotRequest, ballots_cast
from consultations.tests.polls_testing import open_motion_poll, seated_meeting, user_of
from villagegov import bulk_sql
from villagegov.models import Village

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize("secret", [False, True])
def test_a_batch_marks_each_voter_with_their_own_request_id(
    village: Village, monkeypatch: pytest.MonkeyPatch, secret: bool
) -> None:
    monkeypatch.setattr(bulk_sql, "ROWS_PER_STATEMENT", 2)  # SQLite: five voters, three statements each
    meeting = seated_meeting(village, members=7)
    poll = open_motion_poll(meeting, present=6, secret=secret)
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    voters, absent = meeting.members[1:6], meeting.members[6]
    requests = [BallotRequest(actor=user_of(p), choices=[yes], client_id=f"phone-{p.pk}") for p in voters]
    requests.append(BallotRequest(actor=user_of(absent), choices=[yes], client_id="absent"))

    outcomes = ballots_cast(poll=poll, ballots=requests)

    assert outcomes[:5] == [
        BallotReceipt(poll_id=poll.pk, client_id=f"phone-{p.pk}", duplicate=False) for p in voters
    ]
    assert isinstance(outcomes[5], ValidationError) and "not on its voter roll" in outcomes[5].messages[0]
    roll = {row.person_id: row for row in PollVoter.objects.filter(poll=poll)}
    assert {pk: (row.has_voted, row.client_id) for pk, row in roll.items()} == {
        meeting.chair.pk: (False, ""),
        **{p.pk: (True, f"phone-{p.pk}") for p in voters},
    }
    if secret:
        assert BallotIntake.objects.filter(poll=poll).count() == 5 and not Ballot.objects.filter(poll=poll)
    else:
        assert sorted(Ballot.objects.filter(poll=poll).values_list("voter_id", flat=True)) == sorted(
            p.pk for p in voters
        )

    # The same phones resend the same batch: every one is a duplicate, nothing is cast twice.
    again = ballots_cast(poll=poll, ballots=requests[:5])
    assert all(isinstance(o, BallotReceipt) and o.duplicate for o in again)
    assert PollVoter.objects.filter(poll=poll, has_voted=True).count() == 5


def test_a_ballot_cast_and_changed_in_one_batch_keeps_its_first_choice_as_a_change(village: Village) -> None:
    meeting = seated_meeting(village, members=3)
    poll = open_motion_poll(meeting, allow_change=True)
    yes, no = (PollOption.objects.get(poll=poll, answer=answer).pk for answer in (Answer.YES, Answer.NO))
    voter, other = meeting.members[1], meeting.members[2]
    requests = [
        BallotRequest(actor=user_of(voter), choices=[yes], client_id="first"),
        BallotRequest(actor=user_of(other), choices=[yes], client_id="other"),
        BallotRequest(actor=user_of(voter), choices=[no], client_id="second"),
    ]

    outcomes = ballots_cast(poll=poll, ballots=requests)

    assert [o.client_id for o in outcomes if isinstance(o, BallotReceipt)] == ["first", "other", "second"]
    ballot = Ballot.objects.get(poll=poll, voter=voter)
    assert (ballot.choices, ballot.client_id, ballot.cast_by_id) == ([no], "second", voter.pk)
    assert list(ballot.changes.values_list("previous_choices", flat=True)) == [[yes]]
    assert not Ballot.objects.get(poll=poll, voter=other).changes.exists()
    assert PollVoter.objects.get(poll=poll, person=voter).client_id == "second"

    # Changed again in a later batch: its stored choice becomes the next change.
    ballots_cast(poll=poll, ballots=[BallotRequest(actor=user_of(voter), choices=[yes], client_id="third")])
    ballot.refresh_from_db()
    assert ballot.choices == [yes]
    assert list(ballot.changes.order_by("pk").values_list("previous_choices", flat=True)) == [[yes], [no]]


def test_without_changes_allowed_the_second_ballot_of_a_batch_is_refused(village: Village) -> None:
    meeting = seated_meeting(village, members=2)
    poll = open_motion_poll(meeting)
    yes, no = (PollOption.objects.get(poll=poll, answer=answer).pk for answer in (Answer.YES, Answer.NO))
    voter = meeting.members[1]

    first, second = ballots_cast(
        poll=poll,
        ballots=[
            BallotRequest(actor=user_of(voter), choices=[yes], client_id="first"),
            BallotRequest(actor=user_of(voter), choices=[no], client_id="second"),
        ],
    )

    assert isinstance(first, BallotReceipt) and not first.duplicate
    assert isinstance(second, ValidationError) and "already been cast" in second.messages[0]
    assert list(Ballot.objects.filter(poll=poll).values_list("choices", "client_id")) == [([yes], "first")]
