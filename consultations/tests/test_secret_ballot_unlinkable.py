"""Ballot secrecy is structural: nothing in the ballot box points at a voter, nothing orders it
by time or by casting (not even the database's row versions or physical order), and no audit
record names a secret voter."""

import re

import pytest
from django.apps import apps
from django.db import connection, models

from consultations.models import Answer, BallotIntake, PollOption, PollVoter, SecretBallot
from consultations.services.polls import ballot_cast, poll_close
from consultations.tests.polls_testing import open_motion_poll, seated_meeting, user_of
from villagegov.models import AuditRecord, Person, Village
from villagegov.seals import FIELDS, KIND_OF, SEALS_KEY
from villagegov.testing import make_village

pytestmark = pytest.mark.usefixtures("english")


def test_the_ballot_box_has_no_link_to_a_person() -> None:
    for field in SecretBallot._meta.get_fields():
        related = getattr(field, "related_model", None)
        assert related is not Person and related is not PollVoter, field.name
    assert {f.name for f in SecretBallot._meta.concrete_fields} == {"id", "poll", "choices"}


def test_neither_the_box_nor_the_roll_records_a_time() -> None:
    for model in (SecretBallot, PollVoter):
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateField | models.TimeField), (model, field.name)


def test_the_box_and_the_intake_have_a_random_key_and_nothing_else_but_the_choices() -> None:
    for model in (SecretBallot, BallotIntake):
        assert isinstance(model._meta.pk, models.UUIDField)
        assert {f.name for f in model._meta.concrete_fields} == {"id", "poll", "choices"}


VOTERS = 24  # ≥ 20, so that the shuffled box matching the casting order is next to impossible


def cast_all_secretly(meeting, poll) -> list[list[int]]:
    """Every member votes in turn (choices cycling through the three answers); the choices in the
    order they were cast. The box stays empty while the poll is open."""
    options = [o.pk for o in PollOption.objects.filter(poll=poll).order_by("position")]
    cast: list[list[int]] = []
    for index, member in enumerate(meeting.members):
        choice = [options[index % 3]]
        ballot_cast(actor=user_of(member), poll=poll, choices=choice)
        cast.append(choice)
        assert not SecretBallot.objects.filter(poll=poll).exists()
    assert BallotIntake.objects.filter(poll=poll).count() == len(cast)
    return cast


def test_the_box_is_filled_only_at_the_close_and_not_in_the_order_of_casting(village: Village) -> None:
    meeting = seated_meeting(village, members=VOTERS)
    poll = open_motion_poll(meeting, secret=True)
    cast = cast_all_secretly(meeting, poll)
    poll_close(actor=meeting.chair_user, poll=poll)
    assert not BallotIntake.objects.filter(poll=poll).exists()
    # The box's own (unordered) order is the database's physical order. The close shuffles with
    # secrets.SystemRandom: the chance that 24 ballots of three answers (8 each) land in the
    # casting order again is 8!³/24! ≈ 1 in 9.4·10^9: probabilistic, but not flaky.
    boxed = list(SecretBallot.objects.filter(poll=poll).order_by().values_list("choices", flat=True))
    assert sorted(boxed) == sorted(cast)
    assert boxed != cast
    by_key = list(SecretBallot.objects.filter(poll=poll).order_by("pk").values_list("choices", flat=True))
    assert by_key != cast


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin is PostgreSQL's")
def test_on_postgresql_no_boxed_ballot_shares_a_row_version_with_the_roll() -> None:
    """Each ballot commits in its own transaction with its voter's roll row; the close moves the
    intake into the box in one later transaction, so every boxed ballot has the close's xmin."""
    meeting = seated_meeting(make_village(), members=VOTERS)
    poll = open_motion_poll(meeting, secret=True)
    cast_all_secretly(meeting, poll)
    poll_close(actor=meeting.chair_user, poll=poll)
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM consultations_secretballot WHERE poll_id = %s", [poll.pk])
        boxed = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT xmin::text FROM consultations_pollvoter WHERE poll_id = %s", [poll.pk])
        roll = {row[0] for row in cursor.fetchall()}
    assert SecretBallot.objects.filter(poll=poll).count() == VOTERS
    assert len(boxed) == 1, boxed  # one transaction: the close's
    assert len(roll) > 1  # the casting transactions did leave their marks on the roll
    assert not boxed & roll


def test_no_audit_record_names_a_secret_voter(village: Village) -> None:
    meeting = seated_meeting(village, members=6)
    poll = open_motion_poll(meeting, secret=True)
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    before = AuditRecord.objects.count()
    for member in meeting.members:
        ballot_cast(actor=user_of(member), poll=poll, choices=[yes])
    assert AuditRecord.objects.count() == before
    poll_close(actor=meeting.chair_user, poll=poll)
    for record in AuditRecord.objects.filter(seq__gt=before):
        text = f"{record.before} {record.after} {record.target_repr}"
        for member in meeting.members[1:]:
            assert member.name not in text
        assert record.actor_id in (None, meeting.chair_user.pk)


def test_the_seal_of_a_secret_vote_links_no_voter_to_a_choice(village: Village) -> None:
    """The close seals the box and the roll apart: the box's content has no voter, the roll's no
    choice, and the audit record keeps only their digests."""
    meeting = seated_meeting(village, members=6)
    poll = open_motion_poll(meeting, secret=True)
    cast_all_secretly(meeting, poll)
    poll_close(actor=meeting.chair_user, poll=poll)
    record = AuditRecord.objects.get(action="poll.close", target_id=str(poll.pk))
    assert record.after is not None
    seal = record.after[SEALS_KEY][f"consultations.poll:{poll.pk}"]
    assert all(re.fullmatch("[0-9a-f]{64}", value) for value in seal.values())
    text = str(record.after)
    assert not [key for key in ("'choices'", "'person_id'", "'voter_id'") if key in text]
    content = KIND_OF["consultations.poll"].contents(apps.get_model, [poll.pk], FIELDS)[poll.pk]
    assert {key for ballot in content["secret_ballots"] for key in ballot} == {"id", "choices"}
    assert {key for voter in content["roll"] for key in voter} == {
        "person_id",
        "proxy_holder_id",
        "has_voted",
    }
    assert content["ballots"] == content["ballot_changes"] == []
