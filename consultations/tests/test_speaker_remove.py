"""The chair takes a waiting request off the list; it stays on record."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from consultations.models import ItemState, SpeakerRequest, SpeakerState
from consultations.services.speakers import speaker_next, speaker_remove, speaker_request
from consultations.tests.agenda_testing import (
    Meeting,
    add_item,
    closed_behind_the_services,
    make_meeting,
    refused_everywhere,
    user_of,
)
from villagegov.models import AuditRecord, Person, User, Village

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def meeting(village: Village, official: Person) -> Meeting:
    return make_meeting(village, official)


def url(request: SpeakerRequest) -> str:
    return reverse(
        "speaker_remove",
        args=[request.item.session.council.village.admin_code, request.item.session_id, request.pk],
    )


def test_removes_a_waiting_request_only(meeting: Meeting, actor: User) -> None:
    item = add_item(meeting.session, state=ItemState.CURRENT)
    first = speaker_request(actor=user_of(meeting.members[0]), item=item, person=meeting.members[0])
    second = speaker_request(actor=user_of(meeting.members[1]), item=item, person=meeting.members[1])
    speaker_next(actor=actor, item=item)
    first.refresh_from_db()
    with pytest.raises(ValidationError, match="still waiting"):
        speaker_remove(actor=actor, request=first)
    speaker_remove(actor=actor, request=second)
    assert SpeakerRequest.objects.count() == 2
    assert SpeakerRequest.objects.get(pk=second.pk).state == SpeakerState.REMOVED


def test_refused_to_a_villager(meeting: Meeting) -> None:
    item = add_item(meeting.session)
    request = speaker_request(actor=user_of(meeting.members[0]), item=item, person=meeting.members[0])
    with pytest.raises(ValidationError, match="Only the village's officials who run the session"):
        speaker_remove(actor=user_of(meeting.members[1]), request=request)


def test_page(
    meeting: Meeting,
    official_client: Client,
    resident_client: Client,
    outsider_client: Client,
    client: Client,
) -> None:
    item = add_item(meeting.session)
    request = speaker_request(actor=user_of(meeting.members[0]), item=item, person=meeting.members[0])
    refused_everywhere(url(request), resident=resident_client, outsider=outsider_client, anonymous=client)
    assert official_client.get(url(request)).status_code == 405
    assert official_client.post(url(request)).status_code == 302
    assert official_client.post(url(request)).status_code == 400
    assert SpeakerRequest.objects.get().state == SpeakerState.REMOVED


def test_refused_once_the_session_is_closed(meeting: Meeting, actor: User, official_client: Client) -> None:
    item = add_item(meeting.session, state=ItemState.CURRENT)
    request = speaker_request(actor=user_of(meeting.members[0]), item=item, person=meeting.members[0])
    closed_behind_the_services(meeting.session)
    with pytest.raises(
        ValidationError, match="This session is closed: its list of speakers can no longer change"
    ):
        speaker_remove(actor=actor, request=request)
    response = official_client.post(url(request))
    assert (
        response.status_code == 400
        and "its list of speakers can no longer change" in response.content.decode()
    )
    request.refresh_from_db()
    assert request.state == SpeakerState.WAITING and request.ended_at is None
    assert not AuditRecord.objects.filter(action="speaker.remove").exists()
