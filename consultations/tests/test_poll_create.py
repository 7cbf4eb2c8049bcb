"""Putting a motion or an election to the vote."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from consultations.matters import Matter
from consultations.models import ItemState, Poll, PollKind, PollMethod, SessionState
from consultations.services.polls import poll_close, poll_create, poll_open
from consultations.tests.polls_testing import (
    check_in,
    current_election,
    current_motion,
    seated_meeting,
    user_of,
)
from villagegov.models import AuditRecord, Body, Person, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


def test_a_motion_gets_in_favour_against_and_abstain(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = poll_create(actor=meeting.chair_user, item=current_motion(meeting), question="同意吗？")
    assert poll.kind == PollKind.YES_NO and poll.max_choices == 1
    assert [o.answer for o in poll.options.order_by("position")] == ["yes", "no", "abstain"]
    assert AuditRecord.objects.filter(action="poll.create", target_id=str(poll.pk)).exists()


def test_an_election_of_several_seats_allows_that_many_choices(village: Village) -> None:
    meeting = seated_meeting(village)
    item = current_election(meeting, seats=2, candidates=meeting.members[1:4])
    poll = poll_create(actor=meeting.chair_user, item=item, question="选举")
    assert poll.kind == PollKind.MULTIPLE_CHOICE and poll.max_choices == 2
    assert [o.candidate_id for o in poll.options.order_by("position")] == [p.pk for p in meeting.members[1:4]]


def test_an_election_of_one_seat_is_one_choice(village: Village) -> None:
    meeting = seated_meeting(village)
    item = current_election(meeting, seats=1, candidates=meeting.members[1:3])
    assert poll_create(actor=meeting.chair_user, item=item, question="选举").kind == PollKind.SINGLE_CHOICE


def test_a_second_round_is_for_the_seats_left_among_those_not_elected(village: Village) -> None:
    meeting = seated_meeting(village, body=Body.REPRESENTATIVES_MEETING, members=6)
    check_in(meeting.session, *meeting.members)
    candidates = meeting.members[1:4]
    item = current_election(meeting, seats=2, candidates=candidates)
    first = poll_open(
        actor=meeting.chair_user, poll=poll_create(actor=meeting.chair_user, item=item, question="选举")
    )
    from consultations.services.polls import ballot_cast

    options = {o.candidate_id: o.pk for o in first.options.all()}
    # 6 present: candidate 1 gets 6 (elected: > half of attendees), the other two 2 each.
    for index, member in enumerate(meeting.members):
        second_choice = candidates[1 + index % 2].pk
        ballot_cast(
            actor=user_of(member), poll=first, choices=[options[candidates[0].pk], options[second_choice]]
        )
    first = poll_close(actor=meeting.chair_user, poll=first)
    assert first.passed is False
    second = poll_create(actor=meeting.chair_user, item=item, question="第二轮")
    assert second.round == 2 and second.max_choices == 1
    assert {o.candidate_id for o in second.options.all()} == {candidates[1].pk, candidates[2].pk}


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"method": PollMethod.SHOW_OF_HANDS, "secret": True}, "cannot be secret"),
        ({"secret": True, "allow_change": True}, "Only named electronic"),
        ({"method": PollMethod.PAPER, "allow_change": True}, "Only named electronic"),
        ({"method": "telepathy"}, "Choose how"),
    ],
)
def test_impossible_combinations_are_refused(village: Village, kwargs: dict, message: str) -> None:
    meeting = seated_meeting(village)
    with pytest.raises(ValidationError, match=message):
        poll_create(actor=meeting.chair_user, item=current_motion(meeting), question="同意吗？", **kwargs)
    assert not Poll.objects.exists()


def test_not_on_a_finished_item(village: Village) -> None:
    meeting = seated_meeting(village)
    item = current_motion(meeting)
    item.state = ItemState.DONE
    item.save(update_fields=["state"])
    with pytest.raises(ValidationError, match="finished"):
        poll_create(actor=meeting.chair_user, item=item, question="同意吗？")


def test_not_in_a_closed_session(village: Village) -> None:
    meeting = seated_meeting(village, state=SessionState.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        poll_create(actor=meeting.chair_user, item=current_motion(meeting), question="同意吗？")


def test_a_reserved_matter_is_refused_when_the_body_may_not_decide_it(village: Village) -> None:
    meeting = seated_meeting(village, body=Body.BOARD)
    item = current_motion(meeting, matter=Matter.LAND_CONTRACTING_PLAN)
    with pytest.raises(ValidationError, match=r"Art\. 24"):
        poll_create(actor=meeting.chair_user, item=item, question="同意吗？")
    assert not Poll.objects.exists()


def test_only_an_official_creates_a_poll(village: Village, resident: Person) -> None:
    meeting = seated_meeting(village)
    with pytest.raises(ValidationError, match="chair or the clerk"):
        poll_create(actor=user_of(resident), item=current_motion(meeting), question="同意吗？")


# ---- The page ----


def url(meeting, item) -> str:
    return reverse("poll_create", args=[meeting.village.admin_code, meeting.session.pk, item.pk])


def test_the_page_shows_the_form_and_creates_the_poll(village: Village) -> None:
    meeting = seated_meeting(village)
    item = current_motion(meeting)
    client = client_for(meeting.chair)
    assert client.get(url(meeting, item)).status_code == 200
    response = client.post(url(meeting, item), {"question": "同意修路吗？", "method": "electronic"})
    poll = Poll.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "poll_detail", args=[village.admin_code, meeting.session.pk, poll.pk]
    )


def test_an_invalid_form_is_shown_again_with_400(village: Village) -> None:
    meeting = seated_meeting(village)
    item = current_motion(meeting)
    response = client_for(meeting.chair).post(
        url(meeting, item), {"question": "同意吗？", "method": "show_of_hands", "secret": "on"}
    )
    assert response.status_code == 400 and b"cannot be secret" in response.content
    assert not Poll.objects.exists()


def test_another_villages_item_is_not_found(village: Village, other_village: Village) -> None:
    meeting = seated_meeting(other_village)
    item = current_motion(meeting)
    response = client_for(seated_meeting(village).chair).post(
        reverse("poll_create", args=[village.admin_code, meeting.session.pk, item.pk]), {"question": "x"}
    )
    assert response.status_code == 404
    assert not Poll.objects.exists()


def test_a_resident_is_refused_and_anonymous_sent_to_log_in(
    village: Village, resident_client: Client
) -> None:
    meeting = seated_meeting(village)
    item = current_motion(meeting)
    assert resident_client.post(url(meeting, item), {"question": "x"}).status_code == 403
    anonymous = Client().get(url(meeting, item))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
