"""The chair's queue: the next speaker is the earliest waiting; one speaks at a time."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from consultations.models import ItemState, SpeakerRequest, SpeakerState
from consultations.services.speakers import speaker_next, speaker_request
from consultations.tests.agenda_testing import (
    Meeting,
    add_item,
    closed_behind_the_services,
    item_url,
    make_meeting,
    refused_everywhere,
    user_of,
)
from villagegov.models import AuditRecord, Person, Role, User, Village
from villagegov.testing import make_person, make_village

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def meeting(village: Village, official: Person) -> Meeting:
    return make_meeting(village, official, members=4)


def test_speakers_follow_the_order_they_asked(meeting: Meeting, actor: User) -> None:
    item = add_item(meeting.session, state=ItemState.CURRENT)
    asking = [meeting.members[2], meeting.members[0], meeting.members[3]]
    for member in asking:
        speaker_request(actor=user_of(member), item=item, person=member)
    called = [speaker_next(actor=actor, item=item) for _ in asking]
    assert [request.person for request in called if request is not None] == asking
    assert speaker_next(actor=actor, item=item) is None  # the last one is done
    assert set(SpeakerRequest.objects.values_list("state", flat=True)) == {SpeakerState.DONE}
    with pytest.raises(ValidationError, match="No one is waiting"):
        speaker_next(actor=actor, item=item)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None)
@given(order=st.permutations(range(4)), calls=st.integers(min_value=1, max_value=5))
def test_at_most_one_speaks_and_always_the_earliest(order: list[int], calls: int) -> None:
    village = make_village()
    chair = make_person(village, roles=(Role.COMMITTEE_MEMBER,), with_account=True)
    meeting = make_meeting(village, chair, members=4)
    item = add_item(meeting.session, state=ItemState.CURRENT)
    for index in order:
        speaker_request(actor=user_of(meeting.members[index]), item=item, person=meeting.members[index])
    for _ in range(min(calls, len(order))):
        speaker_next(actor=user_of(chair), item=item)
    speaking = list(SpeakerRequest.objects.filter(item=item, state=SpeakerState.SPEAKING))
    assert len(speaking) == 1
    assert speaking[0].person == meeting.members[order[min(calls, len(order)) - 1]]


def test_the_database_allows_one_speaker_at_a_time(meeting: Meeting) -> None:
    item = add_item(meeting.session, state=ItemState.CURRENT)
    now = timezone.now()
    SpeakerRequest.objects.create(
        item=item, person=meeting.members[0], requested_at=now, state=SpeakerState.SPEAKING, started_at=now
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeakerRequest.objects.create(
            item=item,
            person=meeting.members[1],
            requested_at=now,
            state=SpeakerState.SPEAKING,
            started_at=now,
        )


def test_refused_on_an_item_not_under_way(meeting: Meeting, actor: User) -> None:
    item = add_item(meeting.session)
    speaker_request(actor=user_of(meeting.members[0]), item=item, person=meeting.members[0])
    with pytest.raises(ValidationError, match="under way"):
        speaker_next(actor=actor, item=item)


def test_page_calls_and_refuses_with_400(meeting: Meeting, official_client: Client) -> None:
    item = add_item(meeting.session, state=ItemState.CURRENT)
    assert official_client.post(item_url("speaker_next", item)).status_code == 400
    speaker_request(actor=user_of(meeting.members[0]), item=item, person=meeting.members[0])
    assert official_client.post(item_url("speaker_next", item)).status_code == 302
    assert SpeakerRequest.objects.get().state == SpeakerState.SPEAKING


def test_who_may_call(
    meeting: Meeting, resident_client: Client, outsider_client: Client, client: Client
) -> None:
    item = add_item(meeting.session, state=ItemState.CURRENT)
    speaker_request(actor=user_of(meeting.members[0]), item=item, person=meeting.members[0])
    refused_everywhere(
        item_url("speaker_next", item), resident=resident_client, outsider=outsider_client, anonymous=client
    )
    assert SpeakerRequest.objects.get().state == SpeakerState.WAITING


def test_refused_once_the_session_is_closed(meeting: Meeting, actor: User, official_client: Client) -> None:
    item = add_item(meeting.session, state=ItemState.CURRENT)
    speaker_request(actor=user_of(meeting.members[0]), item=item, person=meeting.members[0])
    closed_behind_the_services(meeting.session)
    with pytest.raises(
        ValidationError, match="This session is closed: its list of speakers can no longer change"
    ):
        speaker_next(actor=actor, item=item)
    response = official_client.post(item_url("speaker_next", item))
    assert (
        response.status_code == 400
        and "its list of speakers can no longer change" in response.content.decode()
    )
    assert SpeakerRequest.objects.get().state == SpeakerState.WAITING
    assert not AuditRecord.objects.filter(action="speaker.next").exists()
