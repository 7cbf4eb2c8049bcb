"""Casting a ballot: who may, what they may choose, resends, changes of vote, secret ballots."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from consultations.models import (
    Answer,
    Ballot,
    BallotChange,
    BallotIntake,
    Poll,
    PollMethod,
    PollOption,
    PollVoter,
    SecretBallot,
)
from consultations.services.polls import ballot_cast, poll_close
from consultations.tests.polls_testing import check_in, open_motion_poll, seated_meeting, user_of
from villagegov.models import AuditRecord, Village
from villagegov.testing import make_person, make_village

pytestmark = pytest.mark.usefixtures("english")


def option(poll: Poll, answer: Answer) -> int:
    return PollOption.objects.get(poll=poll, answer=answer).pk


def test_a_named_ballot_is_recorded_and_the_roll_marked(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    voter = meeting.members[1]
    receipt = ballot_cast(actor=user_of(voter), poll=poll, choices=[option(poll, Answer.YES)], client_id="a1")
    assert receipt.poll_id == poll.pk and receipt.client_id == "a1" and not receipt.duplicate
    ballot = Ballot.objects.get(poll=poll, voter=voter)
    assert ballot.choices == [option(poll, Answer.YES)] and ballot.cast_by == voter
    assert PollVoter.objects.get(poll=poll, person=voter).has_voted


def test_a_resend_with_the_same_client_id_is_a_harmless_duplicate(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    voter = user_of(meeting.members[1])
    ballot_cast(actor=voter, poll=poll, choices=[option(poll, Answer.YES)], client_id="same")
    again = ballot_cast(actor=voter, poll=poll, choices=[option(poll, Answer.NO)], client_id="same")
    assert again.duplicate
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert Ballot.objects.get(poll=poll).choices == [option(poll, Answer.YES)]


def test_a_second_ballot_with_another_client_id_is_refused(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    voter = user_of(meeting.members[1])
    ballot_cast(actor=voter, poll=poll, choices=[option(poll, Answer.YES)], client_id="one")
    with pytest.raises(ValidationError, match="already been cast"):
        ballot_cast(actor=voter, poll=poll, choices=[option(poll, Answer.NO)], client_id="two")
    assert Ballot.objects.get(poll=poll).choices == [option(poll, Answer.YES)]


def test_a_change_of_vote_is_kept_with_its_history_where_allowed(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting, allow_change=True)
    voter = user_of(meeting.members[1])
    ballot_cast(actor=voter, poll=poll, choices=[option(poll, Answer.YES)], client_id="one")
    ballot_cast(actor=voter, poll=poll, choices=[option(poll, Answer.NO)], client_id="two")
    ballot = Ballot.objects.get(poll=poll)
    assert ballot.choices == [option(poll, Answer.NO)]
    assert list(BallotChange.objects.filter(ballot=ballot).values_list("previous_choices", flat=True)) == [
        [option(poll, Answer.YES)]
    ]


def test_two_ballots_for_one_voter_break_the_constraint(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    voter = meeting.members[1]
    Ballot.objects.create(poll=poll, voter=voter, cast_by=voter, choices=[1], cast_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(poll=poll, voter=voter, cast_by=voter, choices=[2], cast_at=timezone.now())


def test_someone_who_checked_in_after_the_opening_cannot_vote(village: Village) -> None:
    meeting = seated_meeting(village, members=7)
    poll = open_motion_poll(meeting, present=6)
    late = meeting.members[6]
    check_in(meeting.session, late)
    with pytest.raises(ValidationError, match="not present when this vote opened"):
        ballot_cast(actor=user_of(late), poll=poll, choices=[option(poll, Answer.YES)])
    assert poll.entitled_count == 6
    assert not Ballot.objects.filter(poll=poll).exists()


def test_someone_not_on_the_roster_cannot_vote(village: Village, other_village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    stranger = make_person(other_village, with_account=True)
    with pytest.raises(ValidationError, match="roster"):
        ballot_cast(actor=user_of(stranger), poll=poll, choices=[option(poll, Answer.YES)])


@pytest.mark.parametrize(
    "choices, message",
    [
        ([], "Choose an answer"),
        ([-1], "not options"),
        (["1"], "not options"),
        ([True], "not options"),
    ],
)
def test_bad_choices_are_refused(village: Village, choices: list, message: str) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    with pytest.raises(ValidationError, match=message):
        ballot_cast(actor=user_of(meeting.members[1]), poll=poll, choices=choices)
    assert not PollVoter.objects.filter(poll=poll, has_voted=True).exists()


def test_two_answers_to_a_yes_no_question_are_refused(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    with pytest.raises(ValidationError, match="at most 1"):
        ballot_cast(
            actor=user_of(meeting.members[1]),
            poll=poll,
            choices=[option(poll, Answer.YES), option(poll, Answer.NO)],
        )
    with pytest.raises(ValidationError, match="only once"):
        ballot_cast(
            actor=user_of(meeting.members[1]),
            poll=poll,
            choices=[option(poll, Answer.YES), option(poll, Answer.YES)],
        )


def test_an_option_of_another_poll_is_refused(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    other = seated_meeting(make_village())
    other_poll = open_motion_poll(other)
    with pytest.raises(ValidationError, match="not options"):
        ballot_cast(actor=user_of(meeting.members[1]), poll=poll, choices=[option(other_poll, Answer.YES)])


def test_a_closed_poll_takes_no_ballot(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    poll_close(actor=meeting.chair_user, poll=poll)
    with pytest.raises(ValidationError, match="not open"):
        ballot_cast(actor=user_of(meeting.members[1]), poll=poll, choices=[option(poll, Answer.YES)])


@pytest.mark.parametrize("secret", [False, True], ids=["named", "secret"])
def test_a_resend_after_the_close_is_a_duplicate_not_a_refusal(village: Village, secret: bool) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting, secret=secret)
    voter = user_of(meeting.members[1])
    ballot_cast(actor=voter, poll=poll, choices=[option(poll, Answer.YES)], client_id="before-close")
    poll = poll_close(actor=meeting.chair_user, poll=poll)
    counts = dict(poll.counts)
    again = ballot_cast(actor=voter, poll=poll, choices=[option(poll, Answer.YES)], client_id="before-close")
    assert again.duplicate and again.client_id == "before-close"
    # Any other ballot after the close is refused, the same voter's with another id too.
    for actor, client_id in ((voter, "another"), (voter, ""), (user_of(meeting.members[2]), "before-close")):
        with pytest.raises(ValidationError, match="not open"):
            ballot_cast(actor=actor, poll=poll, choices=[option(poll, Answer.YES)], client_id=client_id)
    poll.refresh_from_db()
    assert poll.counts == counts and poll.votes_cast == 1
    assert PollVoter.objects.filter(poll=poll, has_voted=True).count() == 1


def test_a_show_of_hands_takes_no_phone_ballot(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting, method=PollMethod.SHOW_OF_HANDS)
    with pytest.raises(ValidationError, match="counted in the hall"):
        ballot_cast(actor=user_of(meeting.members[1]), poll=poll, choices=[option(poll, Answer.YES)])


def test_a_secret_ballot_waits_sealed_until_the_close_and_only_the_roll_says_who_voted(
    village: Village,
) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting, secret=True)
    voter = meeting.members[1]
    records = AuditRecord.objects.count()
    receipt = ballot_cast(actor=user_of(voter), poll=poll, choices=[option(poll, Answer.NO)], client_id="s1")
    assert not receipt.duplicate
    assert not Ballot.objects.filter(poll=poll).exists()
    assert list(BallotIntake.objects.filter(poll=poll).values_list("choices", flat=True)) == [
        [option(poll, Answer.NO)]
    ]
    assert not SecretBallot.objects.filter(poll=poll).exists()
    assert PollVoter.objects.get(poll=poll, person=voter).has_voted
    assert AuditRecord.objects.count() == records
    poll_close(actor=meeting.chair_user, poll=poll)
    assert not BallotIntake.objects.filter(poll=poll).exists()
    assert list(SecretBallot.objects.filter(poll=poll).values_list("choices", flat=True)) == [
        [option(poll, Answer.NO)]
    ]


def test_a_secret_ballot_resent_is_a_duplicate_and_a_second_one_refused(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting, secret=True)
    voter = user_of(meeting.members[1])
    ballot_cast(actor=voter, poll=poll, choices=[option(poll, Answer.NO)], client_id="s1")
    assert ballot_cast(actor=voter, poll=poll, choices=[option(poll, Answer.NO)], client_id="s1").duplicate
    with pytest.raises(ValidationError, match="already been cast"):
        ballot_cast(actor=voter, poll=poll, choices=[option(poll, Answer.YES)], client_id="s2")
    assert BallotIntake.objects.filter(poll=poll).count() == 1


def test_no_ballot_is_audited(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    records = AuditRecord.objects.count()
    for member in meeting.members:
        ballot_cast(actor=user_of(member), poll=poll, choices=[option(poll, Answer.YES)])
    assert AuditRecord.objects.count() == records


def test_a_too_long_client_id_is_refused(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    with pytest.raises(ValidationError, match="request id"):
        ballot_cast(
            actor=user_of(meeting.members[1]),
            poll=poll,
            choices=[option(poll, Answer.YES)],
            client_id="x" * 65,
        )
