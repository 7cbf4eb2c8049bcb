"""Taking up an item: the session is open; the item under way is finished first; the database
allows one current item per session."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from consultations.models import (
    AgendaItem,
    ItemState,
    Poll,
    PollState,
    Session,
    SessionState,
    SpeakerRequest,
    SpeakerState,
)
from consultations.services.agenda import agenda_item_start
from consultations.tests.agenda_testing import add_item, item_url, refused_everywhere
from consultations.tests.attendance_testing import make_session, representatives_meeting
from villagegov.models import AuditRecord, Person, User, Village

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def session(village: Village, official: Person) -> Session:
    return make_session(representatives_meeting(village), state=SessionState.OPEN, chair=official)


def test_starting_finishes_the_current_item(session: Session, actor: User) -> None:
    first = add_item(session, state=ItemState.CURRENT)
    second = add_item(session)
    seq = session.live_seq
    agenda_item_start(actor=actor, item=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == ItemState.DONE and first.ended_at is not None
    assert second.state == ItemState.CURRENT and second.started_at is not None
    session.refresh_from_db()
    assert session.live_seq == seq + 1


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (SessionState.DRAFT, "once the session is open"),
        (SessionState.ANNOUNCED, "once the session is open"),
        (SessionState.CLOSED, "This session is closed: its agenda can no longer change"),
    ],
)
def test_refused_unless_the_session_is_open(
    village: Village, official: Person, actor: User, state: SessionState, message: str
) -> None:
    item = add_item(make_session(representatives_meeting(village), state=state, chair=official))
    with pytest.raises(ValidationError, match=message):
        agenda_item_start(actor=actor, item=item)
    item.refresh_from_db()
    assert item.state == ItemState.PENDING and item.started_at is None


def test_starting_ends_the_current_speaker_on_record(session: Session, actor: User, official: Person) -> None:
    first = add_item(session, state=ItemState.CURRENT)
    now = timezone.now()
    speaker = SpeakerRequest.objects.create(
        item=first, person=official, requested_at=now, state=SpeakerState.SPEAKING, started_at=now
    )
    seq = session.live_seq
    agenda_item_start(actor=actor, item=add_item(session))
    speaker.refresh_from_db()
    session.refresh_from_db()
    assert speaker.state == SpeakerState.DONE and speaker.ended_at is not None
    assert AuditRecord.objects.get(action="speaker.done").target_id == str(speaker.pk)
    assert AuditRecord.objects.get(action="agenda.finish").target_id == str(first.pk)
    assert session.live_seq == seq + 2  # the speakers changed, and the item under way


@pytest.mark.parametrize(
    ("state", "message"), [(ItemState.CURRENT, "under way"), (ItemState.DONE, "finished")]
)
def test_refused_for_an_item_taken_up(session: Session, actor: User, state: ItemState, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        agenda_item_start(actor=actor, item=add_item(session, state=state))


def test_refused_while_the_current_items_vote_is_open(session: Session, actor: User) -> None:
    current = add_item(session, state=ItemState.CURRENT)
    Poll.objects.create(
        item=current, question="同意吗", state=PollState.OPEN, opened_at=timezone.now(), created_by=actor
    )
    nxt = add_item(session)
    with pytest.raises(ValidationError, match="still open"):
        agenda_item_start(actor=actor, item=nxt)
    current.refresh_from_db()
    assert current.state == ItemState.CURRENT


def test_the_database_allows_one_current_item_per_session(session: Session) -> None:
    add_item(session, state=ItemState.CURRENT)
    with pytest.raises(IntegrityError), transaction.atomic():
        add_item(session, state=ItemState.CURRENT)
    assert AgendaItem.objects.filter(session=session, state=ItemState.CURRENT).count() == 1


def test_page_starts_and_refuses_with_400(session: Session, official_client: Client) -> None:
    item = add_item(session)
    assert official_client.post(item_url("agenda_item_start", item)).status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.CURRENT
    response = official_client.post(item_url("agenda_item_start", item))
    assert response.status_code == 400 and "already under way" in response.content.decode()


def test_who_may_start(
    session: Session, resident_client: Client, outsider_client: Client, client: Client
) -> None:
    item = add_item(session)
    refused_everywhere(
        item_url("agenda_item_start", item),
        resident=resident_client,
        outsider=outsider_client,
        anonymous=client,
    )
    item.refresh_from_db()
    assert item.state == ItemState.PENDING
