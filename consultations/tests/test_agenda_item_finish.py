"""Finishing the item under way; never while one of its votes is open."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from consultations.models import (
    ItemState,
    Poll,
    PollState,
    Session,
    SessionState,
    SpeakerRequest,
    SpeakerState,
)
from consultations.services.agenda import agenda_item_finish
from consultations.tests.agenda_testing import add_item, item_url, make_meeting, refused_everywhere
from villagegov.models import AuditRecord, Person, User, Village

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def session(village: Village, official: Person) -> Session:
    return make_meeting(village, official).session


def test_finishes_the_current_item_and_its_speaker(session: Session, actor: User) -> None:
    item = add_item(session, state=ItemState.CURRENT)
    speaker = SpeakerRequest.objects.create(
        item=item,
        person=session.chair,
        requested_at=timezone.now(),
        state=SpeakerState.SPEAKING,
        started_at=timezone.now(),
    )
    seq = session.live_seq
    agenda_item_finish(actor=actor, item=item)
    item.refresh_from_db()
    speaker.refresh_from_db()
    session.refresh_from_db()
    assert item.state == ItemState.DONE and item.ended_at is not None
    assert speaker.state == SpeakerState.DONE and speaker.ended_at == item.ended_at
    # Both are on record, and the meeting hears of both (the speakers, then the item).
    assert AuditRecord.objects.filter(action="agenda.finish", target_id=item.pk).count() == 1
    record = AuditRecord.objects.get(action="speaker.done")
    assert record.target_id == str(speaker.pk) and record.actor == actor
    assert record.before is not None and record.after is not None
    assert record.before["state"] == "speaking" and record.after["state"] == "done"
    assert session.live_seq == seq + 2


def test_those_waiting_stay_on_record_as_they_were(session: Session, actor: User) -> None:
    item = add_item(session, state=ItemState.CURRENT)
    waiting = SpeakerRequest.objects.create(item=item, person=session.chair, requested_at=timezone.now())
    seq = session.live_seq
    agenda_item_finish(actor=actor, item=item)
    waiting.refresh_from_db()
    session.refresh_from_db()
    assert waiting.state == SpeakerState.WAITING and waiting.ended_at is None
    assert not AuditRecord.objects.filter(action="speaker.done").exists()
    assert session.live_seq == seq + 1


@pytest.mark.parametrize("state", [ItemState.PENDING, ItemState.DONE])
def test_refused_unless_current(session: Session, actor: User, state: ItemState) -> None:
    with pytest.raises(ValidationError, match="under way"):
        agenda_item_finish(actor=actor, item=add_item(session, state=state))


def test_refused_while_a_vote_is_open(session: Session, actor: User) -> None:
    item = add_item(session, state=ItemState.CURRENT)
    Poll.objects.create(
        item=item, question="同意吗", state=PollState.OPEN, opened_at=timezone.now(), created_by=actor
    )
    with pytest.raises(ValidationError, match="Close the vote first"):
        agenda_item_finish(actor=actor, item=item)
    item.refresh_from_db()
    assert item.state == ItemState.CURRENT


def test_a_closed_vote_does_not_hold_the_item(session: Session, actor: User) -> None:
    item = add_item(session, state=ItemState.CURRENT)
    now = timezone.now()
    Poll.objects.create(
        item=item, question="同意吗", state=PollState.CLOSED, opened_at=now, closed_at=now, created_by=actor
    )
    assert agenda_item_finish(actor=actor, item=item).state == ItemState.DONE


def test_page_finishes_and_refuses_with_400(session: Session, official_client: Client) -> None:
    item = add_item(session, state=ItemState.CURRENT)
    response = official_client.post(item_url("agenda_item_finish", item))
    assert response.status_code == 302 and response["Location"].endswith("#agenda")
    assert official_client.post(item_url("agenda_item_finish", item)).status_code == 400


def test_who_may_finish(
    session: Session, resident_client: Client, outsider_client: Client, client: Client
) -> None:
    item = add_item(session, state=ItemState.CURRENT)
    refused_everywhere(
        item_url("agenda_item_finish", item),
        resident=resident_client,
        outsider=outsider_client,
        anonymous=client,
    )
    item.refresh_from_db()
    assert item.state == ItemState.CURRENT


def test_refused_once_the_session_is_closed(village: Village, official: Person, actor: User) -> None:
    """A closed session's record is final: an item left under way there stays as it was."""
    meeting = make_meeting(village, official, state=SessionState.CLOSED)
    item = add_item(meeting.session, state=ItemState.CURRENT)
    with pytest.raises(ValidationError, match="This session is closed: its agenda can no longer change"):
        agenda_item_finish(actor=actor, item=item)
    item.refresh_from_db()
    assert item.state == ItemState.CURRENT and item.ended_at is None
    assert not AuditRecord.objects.filter(action="agenda.finish").exists()


def test_page_refuses_after_the_close_with_400(
    village: Village, official: Person, official_client: Client
) -> None:
    meeting = make_meeting(village, official, state=SessionState.CLOSED)
    item = add_item(meeting.session, state=ItemState.CURRENT)
    response = official_client.post(item_url("agenda_item_finish", item))
    assert response.status_code == 400
    assert "its agenda can no longer change" in response.content.decode()
    item.refresh_from_db()
    assert item.state == ItemState.CURRENT
