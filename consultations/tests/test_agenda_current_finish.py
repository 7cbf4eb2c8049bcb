"""Finishing the item under way, and its speaker, as the session closes: no closed session keeps an
item "under way" or someone "speaking", and the minutes name everyone who spoke."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations import events
from consultations.models import (
    AgendaItem,
    ItemState,
    Poll,
    PollState,
    SessionState,
    SpeakerRequest,
    SpeakerState,
)
from consultations.selectors.minutes import minutes_content
from consultations.services.agenda import agenda_current_finish
from consultations.services.sessions import session_close
from consultations.services.speakers import speaker_next, speaker_request
from consultations.tests.agenda_testing import Meeting, add_item, make_meeting, session_url, user_of
from villagegov.models import AuditRecord, Person, User, Village

pytestmark = pytest.mark.usefixtures("english")


class RecordingLayer:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        self.sent.append(message)

    def events(self) -> list[tuple[str, dict[str, Any]]]:
        return [
            (message["event"]["type"], message["event"]["data"])
            for message in self.sent
            if message["type"] == "session.event"
        ]


@pytest.fixture
def layer(monkeypatch: pytest.MonkeyPatch) -> RecordingLayer:
    recording = RecordingLayer()
    monkeypatch.setattr(events, "get_channel_layer", lambda: recording)
    return recording


@pytest.fixture
def meeting(village: Village, official: Person) -> Meeting:
    return make_meeting(village, official)


def under_way_with_a_speaker(meeting: Meeting, actor: User) -> tuple[AgendaItem, SpeakerRequest]:
    """An item under way on which one member has spoken, another speaks and a third waits."""
    item = add_item(meeting.session, state=ItemState.CURRENT)
    for member in meeting.members:
        speaker_request(actor=user_of(member), item=item, person=member)
    speaker_next(actor=actor, item=item)
    speaker_next(actor=actor, item=item)
    speaking = SpeakerRequest.objects.get(item=item, state=SpeakerState.SPEAKING)
    return item, speaking


def test_finishes_the_item_and_its_speaker_on_record(
    meeting: Meeting, actor: User, layer: RecordingLayer, django_capture_on_commit_callbacks: Any
) -> None:
    item, speaking = under_way_with_a_speaker(meeting, actor)
    with django_capture_on_commit_callbacks(execute=True):
        agenda_current_finish(actor=actor, session=meeting.session)
    item.refresh_from_db()
    speaking.refresh_from_db()
    assert item.state == ItemState.DONE and item.ended_at is not None
    assert speaking.state == SpeakerState.DONE and speaking.ended_at == item.ended_at
    # The one still waiting stays on record as they were.
    assert SpeakerRequest.objects.get(person=meeting.members[2]).state == SpeakerState.WAITING
    assert AuditRecord.objects.get(action="agenda.finish").target_id == str(item.pk)
    assert AuditRecord.objects.filter(action="speaker.done", target_id=str(speaking.pk)).count() == 1
    assert layer.events() == [
        ("speakers.changed", {"item": item.pk}),
        ("item.current", {"item": None}),
    ]


def test_nothing_under_way_changes_nothing(
    meeting: Meeting, actor: User, layer: RecordingLayer, django_capture_on_commit_callbacks: Any
) -> None:
    done = add_item(meeting.session, state=ItemState.DONE)
    pending = add_item(meeting.session)
    with django_capture_on_commit_callbacks(execute=True):
        agenda_current_finish(actor=actor, session=meeting.session)
    assert {item.pk: item.state for item in AgendaItem.objects.all()} == {
        done.pk: ItemState.DONE,
        pending.pk: ItemState.PENDING,
    }
    assert not AuditRecord.objects.filter(action__startswith="agenda.").exists()
    assert layer.sent == []


def test_refused_to_a_villager(meeting: Meeting) -> None:
    item = add_item(meeting.session, state=ItemState.CURRENT)
    with pytest.raises(ValidationError, match="Only the village's officials who run the session"):
        agenda_current_finish(actor=user_of(meeting.members[0]), session=meeting.session)
    item.refresh_from_db()
    assert item.state == ItemState.CURRENT


def test_refused_while_the_items_vote_is_open(meeting: Meeting, actor: User) -> None:
    item = add_item(meeting.session, state=ItemState.CURRENT)
    Poll.objects.create(
        item=item, question="同意吗", state=PollState.OPEN, opened_at=timezone.now(), created_by=actor
    )
    with pytest.raises(ValidationError, match="Close the vote first"):
        agenda_current_finish(actor=actor, session=meeting.session)
    item.refresh_from_db()
    assert item.state == ItemState.CURRENT


def test_a_closed_sessions_record_stays_as_it_is(village: Village, official: Person, actor: User) -> None:
    closed = make_meeting(village, official, state=SessionState.CLOSED)
    item = add_item(closed.session, state=ItemState.CURRENT)
    with pytest.raises(ValidationError, match="This session is closed"):
        agenda_current_finish(actor=actor, session=closed.session)
    item.refresh_from_db()
    assert item.state == ItemState.CURRENT and item.ended_at is None


def test_closing_the_session_finishes_the_item_and_speaker_first(
    meeting: Meeting, actor: User, layer: RecordingLayer, django_capture_on_commit_callbacks: Any
) -> None:
    item, speaking = under_way_with_a_speaker(meeting, actor)
    with django_capture_on_commit_callbacks(execute=True):
        session_close(actor=actor, session=meeting.session)
    meeting.session.refresh_from_db()
    item.refresh_from_db()
    speaking.refresh_from_db()
    assert meeting.session.state == SessionState.CLOSED
    assert item.state == ItemState.DONE and speaking.state == SpeakerState.DONE
    assert not SpeakerRequest.objects.filter(state=SpeakerState.SPEAKING).exists()
    actions = list(
        AuditRecord.objects.filter(action__in=["agenda.finish", "speaker.done", "session.close"])
        .order_by("pk")
        .values_list("action", flat=True)
    )
    # The first speaker was ended by the chair; the second by the close, before the state changed.
    assert actions == ["speaker.done", "agenda.finish", "speaker.done", "session.close"]
    assert [event_type for event_type, _data in layer.events()] == [
        "speakers.changed",
        "item.current",
        "session.state",
    ]
    # The minutes name both who spoke, the one cut short by the close included.
    entry = next(entry for entry in minutes_content(meeting.session).items if entry.item.pk == item.pk)
    assert [request.person for request in entry.speakers] == meeting.members[:2]


def test_closing_is_refused_while_a_vote_is_open(meeting: Meeting, actor: User) -> None:
    item = add_item(meeting.session, state=ItemState.CURRENT)
    Poll.objects.create(
        item=item, question="同意吗", state=PollState.OPEN, opened_at=timezone.now(), created_by=actor
    )
    with pytest.raises(ValidationError, match="Close the vote first"):
        session_close(actor=actor, session=meeting.session)
    meeting.session.refresh_from_db()
    item.refresh_from_db()
    assert meeting.session.state == SessionState.OPEN and item.state == ItemState.CURRENT
    assert not AuditRecord.objects.filter(action="session.close").exists()


def test_closing_without_an_item_under_way_just_closes(meeting: Meeting, actor: User) -> None:
    add_item(meeting.session, state=ItemState.DONE)
    session_close(actor=actor, session=meeting.session)
    meeting.session.refresh_from_db()
    assert meeting.session.state == SessionState.CLOSED
    assert not AuditRecord.objects.filter(action="agenda.finish").exists()


def test_the_close_page_finishes_the_item(meeting: Meeting, actor: User, official_client: Client) -> None:
    item, speaking = under_way_with_a_speaker(meeting, actor)
    response = official_client.post(session_url("session_close", meeting.session))
    assert response.status_code == 302
    item.refresh_from_db()
    speaking.refresh_from_db()
    assert item.state == ItemState.DONE and speaking.state == SpeakerState.DONE
    page = official_client.get(
        reverse("session_detail", args=[meeting.village.admin_code, meeting.session.pk])
    )
    assert "Under way now" not in page.content.decode()
