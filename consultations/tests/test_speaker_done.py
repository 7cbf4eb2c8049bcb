"""The chair ends the current speaker's turn."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from consultations.models import ItemState, SpeakerRequest, SpeakerState
from consultations.services.speakers import speaker_done, speaker_next, speaker_request
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
        "speaker_done",
        args=[request.item.session.council.village.admin_code, request.item.session_id, request.pk],
    )


def test_done_ends_the_turn(meeting: Meeting, actor: User) -> None:
    item = add_item(meeting.session, state=ItemState.CURRENT)
    member = meeting.members[0]
    request = speaker_request(actor=user_of(member), item=item, person=member)
    with pytest.raises(ValidationError, match="person speaking"):
        speaker_done(actor=actor, request=request)
    speaker_next(actor=actor, item=item)
    request.refresh_from_db()
    speaker_done(actor=actor, request=request)
    request.refresh_from_db()
    assert request.state == SpeakerState.DONE and request.ended_at is not None


def test_page(
    meeting: Meeting,
    actor: User,
    official_client: Client,
    resident_client: Client,
    outsider_client: Client,
    client: Client,
) -> None:
    item = add_item(meeting.session, state=ItemState.CURRENT)
    request = speaker_request(actor=user_of(meeting.members[0]), item=item, person=meeting.members[0])
    assert official_client.post(url(request)).status_code == 400
    speaker_next(actor=actor, item=item)
    refused_everywhere(url(request), resident=resident_client, outsider=outsider_client, anonymous=client)
    assert SpeakerRequest.objects.get().state == SpeakerState.SPEAKING
    assert official_client.post(url(request)).status_code == 302
    assert SpeakerRequest.objects.get().state == SpeakerState.DONE


def test_refused_once_the_session_is_closed(meeting: Meeting, actor: User, official_client: Client) -> None:
    item = add_item(meeting.session, state=ItemState.CURRENT)
    request = speaker_request(actor=user_of(meeting.members[0]), item=item, person=meeting.members[0])
    speaker_next(actor=actor, item=item)
    closed_behind_the_services(meeting.session)
    request.refresh_from_db()
    with pytest.raises(
        ValidationError, match="This session is closed: its list of speakers can no longer change"
    ):
        speaker_done(actor=actor, request=request)
    response = official_client.post(url(request))
    assert (
        response.status_code == 400
        and "its list of speakers can no longer change" in response.content.decode()
    )
    request.refresh_from_db()
    assert request.state == SpeakerState.SPEAKING and request.ended_at is None
    assert not AuditRecord.objects.filter(action="speaker.done").exists()
