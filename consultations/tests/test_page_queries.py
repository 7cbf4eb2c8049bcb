"""Pages at village scale: the session page, its live fragment and the hall screen are read with
a number of queries that does not grow with the meeting (attendees, agenda items, speakers,
polls, closed elections and ballots): a session of 3 and one of 60 cost the same."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import (
    ElectionCandidate,
    ElectionItem,
    ItemState,
    MotionItem,
    PollOption,
    SpeakerRequest,
    SpeakerState,
)
from consultations.services.polls import ballot_cast, poll_close, poll_create, poll_open
from consultations.tests.polls_testing import Meeting, check_in, seated_meeting, user_of
from villagegov.models import Village
from villagegov.testing import client_for, make_village


def closed_elections(meeting: Meeting, count: int, *, first_position: int) -> None:
    """`count` closed elections of one seat among three candidates, everyone voting, two of the
    candidates tied (no one elected) in every other one."""
    for number in range(count):
        item = ElectionItem.objects.create(
            session=meeting.session,
            position=first_position + number,
            title=f"选举{number}",
            office="组长",
            seats=1,
            state=ItemState.CURRENT,
            started_at=timezone.now(),
            created_by=meeting.chair_user,
        )
        candidates = meeting.members[:3]
        for person in candidates:
            ElectionCandidate.objects.create(election=item, person=person)
        poll = poll_open(
            actor=meeting.chair_user,
            poll=poll_create(actor=meeting.chair_user, item=item, question="选举组长"),
        )
        options = [o.pk for o in PollOption.objects.filter(poll=poll).order_by("position")]
        for index, member in enumerate(meeting.members):
            choice = options[index % 2] if number % 2 else options[0]
            ballot_cast(actor=user_of(member), poll=poll, choices=[choice])
        poll_close(actor=meeting.chair_user, poll=poll)
        ElectionItem.objects.filter(pk=item.pk).update(state=ItemState.DONE)


def meeting_of_size(village: Village, size: int) -> dict[str, Any]:
    """An open session with `size` members present, `size` agenda items, `size` speakers waiting
    on the current item, a closed vote on each of the first items (everyone voting), an open
    vote on the current one, and closed elections (one per 20 members, at least one)."""
    meeting = seated_meeting(village, members=size)
    check_in(meeting.session, *meeting.members)
    closed_elections(meeting, max(1, size // 20), first_position=size + 1)
    polls = max(2, size // 10)
    for position in range(1, size + 1):
        MotionItem.objects.create(
            session=meeting.session,
            position=position,
            title=f"动议{position}",
            text="动议",
            state=ItemState.PENDING,
            created_by=meeting.chair_user,
        )
    items = list(MotionItem.objects.filter(session=meeting.session).order_by("position"))
    for item in items[:polls]:
        MotionItem.objects.filter(pk=item.pk).update(state=ItemState.CURRENT, started_at=timezone.now())
        poll = poll_open(
            actor=meeting.chair_user,
            poll=poll_create(actor=meeting.chair_user, item=item, question="同意吗？"),
        )
        options = list(PollOption.objects.filter(poll=poll).order_by("position").values_list("pk", flat=True))
        for index, member in enumerate(meeting.members):
            ballot_cast(actor=user_of(member), poll=poll, choices=[options[index % 3]])
        if item != items[polls - 1]:
            poll_close(actor=meeting.chair_user, poll=poll)
            MotionItem.objects.filter(pk=item.pk).update(state=ItemState.DONE)
    current = items[polls - 1]
    for index, member in enumerate(meeting.members):
        SpeakerRequest.objects.create(
            item=current,
            person=member,
            requested_at=timezone.now(),
            state=SpeakerState.SPEAKING if index == 0 else SpeakerState.WAITING,
            started_at=timezone.now() if index == 0 else None,
        )
    return {"meeting": meeting, "village": village}


def queries_of(size: int, page: str) -> int:
    village = make_village()
    built = meeting_of_size(village, size)
    meeting = built["meeting"]
    args = [village.admin_code, meeting.session.pk]
    url = {
        "session": reverse("session_detail", args=args),
        "live": reverse("session_live", args=args),
        "hall": reverse("session_hall", args=args),
        "hall_fragment": reverse("session_live", args=args) + "?view=hall",
    }[page]
    client = client_for(meeting.chair)
    assert client.get(url).status_code == 200  # warm: sessions, caches, translations
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", ["session", "live", "hall", "hall_fragment"])
@pytest.mark.django_db
def test_the_page_costs_the_same_number_of_queries_for_3_and_for_60_people(page: str) -> None:
    small = queries_of(3, page)
    large = queries_of(60, page)
    assert large == small, f"{page}: {small} queries with 3 people, {large} with 60"
