"""Sequenced events: numbered in the service's transaction, broadcast only after its commit,
sent by the session's transitions and by each check-in."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from consultations import events
from consultations.events import EventType, session_event_send
from consultations.models import CheckInMethod, Session, SessionState
from consultations.selectors.live import attendance_counts
from consultations.services.attendance import attendance_check_in
from consultations.services.sessions import session_announce, session_close, session_open
from consultations.tests.attendance_testing import make_session, representatives_meeting, seat
from consultations.tests.sessions_testing import make_draft
from villagegov.models import Person, User, Village
from villagegov.testing import make_person


class RecordingLayer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        self.sent.append((group, message))

    def events(self) -> list[dict[str, Any]]:
        return [message["event"] for _group, message in self.sent if message["type"] == "session.event"]


@pytest.fixture
def layer(monkeypatch: pytest.MonkeyPatch) -> RecordingLayer:
    recording = RecordingLayer()
    monkeypatch.setattr(events, "get_channel_layer", lambda: recording)
    return recording


def test_events_are_numbered_one_after_another_and_sent_after_the_commit(
    village: Village, layer: RecordingLayer, django_capture_on_commit_callbacks: Any
) -> None:
    session = make_session(representatives_meeting(village), state=SessionState.OPEN)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        first = session_event_send(session=session, type=EventType.AGENDA_CHANGED, data={})
        second = session_event_send(session=session, type=EventType.ITEM_CURRENT, data={"item": None})
        assert layer.sent == []  # nothing before the commit
    assert (first, second) == (1, 2) and len(callbacks) == 2
    assert Session.objects.get(pk=session.pk).live_seq == 2
    assert layer.sent[0] == (
        f"session-{session.pk}",
        {"type": "session.event", "event": {"type": "agenda.changed", "seq": 1, "data": {}}},
    )
    assert layer.events()[1] == {"type": "item.current", "seq": 2, "data": {"item": None}}


def test_a_rolled_back_transaction_sends_nothing_and_keeps_its_number(
    village: Village, layer: RecordingLayer, django_capture_on_commit_callbacks: Any
) -> None:
    session = make_session(representatives_meeting(village), state=SessionState.OPEN)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        session_event_send(session=session, type=EventType.AGENDA_CHANGED, data={})
        raise RuntimeError
    assert layer.sent == [] and Session.objects.get(pk=session.pk).live_seq == 0


def test_announcing_opening_and_closing_send_the_new_state(
    village: Village,
    official: Person,
    actor: User,
    layer: RecordingLayer,
    django_capture_on_commit_callbacks: Any,
) -> None:
    council = representatives_meeting(village)
    draft = make_draft(council, official, days_from_today=20)
    with django_capture_on_commit_callbacks(execute=True):
        session_announce(actor=actor, session=draft)
    today = make_session(council, state=SessionState.ANNOUNCED, chair=official)
    with django_capture_on_commit_callbacks(execute=True):
        session_open(actor=actor, session=today)
    with django_capture_on_commit_callbacks(execute=True):
        session_close(actor=actor, session=today)
    assert [(event["data"]["state"], event["seq"]) for event in layer.events()] == [
        ("announced", 1),
        ("open", 1),
        ("closed", 2),
    ]


def test_a_refused_transition_sends_nothing(
    village: Village, actor: User, layer: RecordingLayer, django_capture_on_commit_callbacks: Any
) -> None:
    session = make_session(representatives_meeting(village), state=SessionState.CLOSED)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        session_close(actor=actor, session=session)
    assert layer.sent == [] and Session.objects.get(pk=session.pk).live_seq == 0


def test_a_check_in_sends_the_attendance_counts(
    village: Village, actor: User, layer: RecordingLayer, django_capture_on_commit_callbacks: Any
) -> None:
    council = representatives_meeting(village)
    session = make_session(council, state=SessionState.OPEN)
    first, second = (seat(council, make_person(village)) for _ in range(2))
    with django_capture_on_commit_callbacks(execute=True):
        attendance_check_in(actor=actor, session=session, person=first, method=CheckInMethod.CLERK)
    with django_capture_on_commit_callbacks(execute=True):
        attendance_check_in(actor=actor, session=session, person=second, method=CheckInMethod.CLERK)
    sent = layer.events()
    assert [event["type"] for event in sent] == ["attendance.changed", "attendance.changed"]
    assert [event["data"]["attendees"] for event in sent] == [1, 2]
    assert all(set(event["data"]) == {"attendees", "households"} for event in sent)
    assert sent[1]["data"] == attendance_counts(session)
