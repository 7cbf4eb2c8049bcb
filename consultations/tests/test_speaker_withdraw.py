"""A speaker withdraws their own waiting request; the row stays, marked taken off."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from consultations.models import ItemState, SpeakerRequest, SpeakerState
from consultations.services.speakers import speaker_request, speaker_withdraw
from consultations.tests.agenda_testing import (
    Meeting,
    add_item,
    closed_behind_the_services,
    make_meeting,
    user_of,
)
from villagegov.models import AuditRecord, Person, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def meeting(village: Village, official: Person) -> Meeting:
    return make_meeting(village, official)


def url(request: SpeakerRequest, village: Village | None = None) -> str:
    village = village or request.item.session.council.village
    return reverse("speaker_withdraw", args=[village.admin_code, request.item.session_id, request.pk])


def test_withdraws_own_waiting_request(meeting: Meeting) -> None:
    member = meeting.members[0]
    request = speaker_request(actor=user_of(member), item=add_item(meeting.session), person=member)
    speaker_withdraw(actor=user_of(member), request=request)
    request.refresh_from_db()
    assert request.state == SpeakerState.REMOVED and request.ended_at is not None
    with pytest.raises(ValidationError, match="still waiting"):
        speaker_withdraw(actor=user_of(member), request=request)


def test_not_someone_elses(meeting: Meeting) -> None:
    member = meeting.members[0]
    request = speaker_request(actor=user_of(member), item=add_item(meeting.session), person=member)
    with pytest.raises(ValidationError, match="your own"):
        speaker_withdraw(actor=user_of(meeting.members[1]), request=request)


def test_page(meeting: Meeting, other_village: Village, outsider_client: Client, client: Client) -> None:
    member = meeting.members[0]
    request = speaker_request(
        actor=user_of(member), item=add_item(meeting.session, state=ItemState.CURRENT), person=member
    )
    assert client_for(meeting.members[1]).post(url(request)).status_code == 400
    assert outsider_client.post(url(request)).status_code == 404
    assert outsider_client.post(url(request, other_village)).status_code == 404
    assert client.post(url(request)).status_code == 302
    assert SpeakerRequest.objects.get().state == SpeakerState.WAITING
    assert client_for(member).post(url(request)).status_code == 302
    assert SpeakerRequest.objects.get().state == SpeakerState.REMOVED


def test_refused_once_the_session_is_closed(meeting: Meeting) -> None:
    member = meeting.members[0]
    request = speaker_request(
        actor=user_of(member), item=add_item(meeting.session, state=ItemState.CURRENT), person=member
    )
    closed_behind_the_services(meeting.session)
    with pytest.raises(
        ValidationError, match="This session is closed: its list of speakers can no longer change"
    ):
        speaker_withdraw(actor=user_of(member), request=request)
    response = client_for(member).post(url(request))
    assert (
        response.status_code == 400
        and "its list of speakers can no longer change" in response.content.decode()
    )
    request.refresh_from_db()
    assert request.state == SpeakerState.WAITING and request.ended_at is None
    assert not AuditRecord.objects.filter(action="speaker.withdraw").exists()
