"""Ballot secrecy is structural: nothing in the ballot box points at a voter, nothing orders it
by time, and no audit record names a secret voter."""

import pytest
from django.db import models

from consultations.models import Answer, PollOption, PollVoter, SecretBallot
from consultations.services.polls import ballot_cast, poll_close
from consultations.tests.polls_testing import open_motion_poll, seated_meeting, user_of
from villagegov.models import AuditRecord, Person, Village

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


def test_the_box_has_a_random_key() -> None:
    assert isinstance(SecretBallot._meta.pk, models.UUIDField)


def test_the_order_of_the_box_is_not_the_order_of_casting(village: Village) -> None:
    meeting = seated_meeting(village, members=20)
    poll = open_motion_poll(meeting, secret=True)
    options = list(PollOption.objects.filter(poll=poll).order_by("position"))
    cast_order: list[object] = []
    for index, member in enumerate(meeting.members):
        ballot_cast(actor=user_of(member), poll=poll, choices=[options[index % 3].pk])
        newest = SecretBallot.objects.filter(poll=poll).exclude(pk__in=cast_order).get()
        cast_order.append(newest.pk)
    by_key = [pk for pk in SecretBallot.objects.filter(poll=poll).order_by("pk").values_list("pk", flat=True)]
    assert by_key != cast_order


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
