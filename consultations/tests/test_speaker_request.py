"""Asking to speak: a member of the council, checked in to the open session, once at a time."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from consultations.models import ItemState, SessionState, SpeakerRequest, SpeakerState
from consultations.services.speakers import speaker_request
from consultations.tests.agenda_testing import (
    Meeting,
    add_item,
    closed_behind_the_services,
    item_url,
    make_meeting,
    user_of,
)
from consultations.tests.attendance_testing import seat
from villagegov.models import Person, Village
from villagegov.testing import client_for, make_person

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def meeting(village: Village, official: Person) -> Meeting:
    return make_meeting(village, official)


def test_a_present_member_asks_once(meeting: Meeting) -> None:
    item = add_item(meeting.session, state=ItemState.CURRENT)
    member = meeting.members[0]
    seq = meeting.session.live_seq
    request = speaker_request(actor=user_of(member), item=item, person=member)
    assert request.state == SpeakerState.WAITING
    with pytest.raises(ValidationError, match="already asked"):
        speaker_request(actor=user_of(member), item=item, person=member)
    meeting.session.refresh_from_db()
    assert meeting.session.live_seq == seq + 1


def test_may_ask_again_after_speaking(meeting: Meeting) -> None:
    item = add_item(meeting.session)
    member = meeting.members[0]
    first = speaker_request(actor=user_of(member), item=item, person=member)
    SpeakerRequest.objects.filter(pk=first.pk).update(state=SpeakerState.DONE)
    speaker_request(actor=user_of(member), item=item, person=member)
    assert SpeakerRequest.objects.filter(item=item, person=member).count() == 2


def test_the_database_allows_one_open_request(meeting: Meeting) -> None:
    item = add_item(meeting.session)
    member = meeting.members[0]
    SpeakerRequest.objects.create(item=item, person=member, requested_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeakerRequest.objects.create(item=item, person=member, requested_at=timezone.now())


def test_refusals(meeting: Meeting, village: Village) -> None:
    item = add_item(meeting.session)
    absent = seat(meeting.session.council, make_person(village, with_account=True))
    with pytest.raises(ValidationError, match="Check in"):
        speaker_request(actor=user_of(absent), item=item, person=absent)
    stranger = make_person(village, with_account=True)
    with pytest.raises(ValidationError, match="Only members"):
        speaker_request(actor=user_of(stranger), item=item, person=stranger)
    with pytest.raises(ValidationError, match="for yourself"):
        speaker_request(actor=user_of(meeting.members[1]), item=item, person=meeting.members[0])
    done = add_item(meeting.session, state=ItemState.DONE)
    with pytest.raises(ValidationError, match="finished"):
        speaker_request(actor=user_of(meeting.members[0]), item=done, person=meeting.members[0])
    assert not SpeakerRequest.objects.exists()


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (SessionState.ANNOUNCED, "once the session is open"),
        (SessionState.CLOSED, "This session is closed: its list of speakers can no longer change"),
    ],
)
def test_refused_unless_the_session_is_open(
    village: Village, official: Person, state: SessionState, message: str
) -> None:
    meeting = make_meeting(village, official, state=state)
    item = add_item(meeting.session)
    with pytest.raises(ValidationError, match=message):
        speaker_request(actor=user_of(meeting.members[0]), item=item, person=meeting.members[0])


def test_refused_once_the_session_is_closed_even_to_those_present(meeting: Meeting) -> None:
    item = add_item(meeting.session, state=ItemState.CURRENT)
    closed_behind_the_services(meeting.session)
    member = meeting.members[0]
    with pytest.raises(
        ValidationError, match="This session is closed: its list of speakers can no longer change"
    ):
        speaker_request(actor=user_of(member), item=item, person=member)
    client = client_for(member)
    page = client.get(item_url("agenda_item_detail", item)).content.decode()
    assert "Ask to speak" not in page and "its list of speakers can no longer change" in page
    response = client.post(item_url("speaker_request", item))
    assert (
        response.status_code == 400
        and "its list of speakers can no longer change" in response.content.decode()
    )
    assert not SpeakerRequest.objects.exists()


def test_page_asks_then_refuses_with_400(meeting: Meeting) -> None:
    item = add_item(meeting.session, state=ItemState.CURRENT)
    client = client_for(meeting.members[0])
    html = client.get(item_url("agenda_item_detail", item)).content.decode()
    assert "Ask to speak" in html
    assert client.post(item_url("speaker_request", item)).status_code == 302
    assert (
        "You are on the list of speakers" in client.get(item_url("agenda_item_detail", item)).content.decode()
    )
    assert client.post(item_url("speaker_request", item)).status_code == 400
    assert SpeakerRequest.objects.count() == 1


def test_resident_not_a_member_gets_400_outsider_404(
    meeting: Meeting, resident_client: Client, outsider_client: Client, client: Client
) -> None:
    item = add_item(meeting.session, state=ItemState.CURRENT)
    url = item_url("speaker_request", item)
    assert resident_client.post(url).status_code == 400
    assert outsider_client.post(url).status_code == 404
    assert client.post(url).status_code == 302
    assert not SpeakerRequest.objects.exists()
