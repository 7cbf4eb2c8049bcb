"""Putting a motion or an election to the vote."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from consultations.matters import Matter
from consultations.models import ItemState, Poll, PollKind, PollMethod, SessionState
from consultations.services.polls import ballot_cast, poll_close, poll_create, poll_open
from consultations.tests.polls_testing import (
    check_in,
    current_election,
    current_motion,
    seated_meeting,
    user_of,
)
from villagegov.models import AuditRecord, Body, Person, Village
from villagegov.testing import client_for, make_village

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


def test_an_empty_post_is_refused_with_400_and_says_what_is_missing(village: Village) -> None:
    meeting = seated_meeting(village)
    item = current_motion(meeting)
    response = client_for(meeting.chair).post(url(meeting, item), {})
    assert response.status_code == 400
    assert b"This field is required." in response.content
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


# ---- An invalid election round is held again (Art. 15) ----


def assembly_election(seats: int):
    """A villagers' assembly of 6 adults, all present (6 registered voters: an election is valid
    with 4 ballots, not with 3), electing `seats` among three candidates."""
    meeting = seated_meeting(make_village(), body=Body.VILLAGERS_ASSEMBLY, members=6)
    check_in(meeting.session, *meeting.members)
    candidates = meeting.members[1:4]
    return meeting, candidates, current_election(meeting, seats=seats, candidates=candidates)


def hold(meeting, poll, ballots: list[list[Person]]):
    """Open `poll`, let the first members cast `ballots` (the candidates each one chooses), close."""
    poll = poll_open(actor=meeting.chair_user, poll=poll)
    options = {o.candidate_id: o.pk for o in poll.options.all()}
    for member, chosen in zip(meeting.members, ballots, strict=False):
        ballot_cast(actor=user_of(member), poll=poll, choices=[options[p.pk] for p in chosen])
    return poll_close(actor=meeting.chair_user, poll=poll)


@pytest.mark.django_db
def test_an_invalid_first_round_is_held_again_as_the_first_round_with_every_candidate() -> None:
    meeting, candidates, item = assembly_election(seats=1)
    first = poll_create(actor=meeting.chair_user, item=item, question="选举")
    # 3 of the 6 registered voters vote, all for the first candidate: not valid, nobody elected.
    first = hold(meeting, first, [[candidates[0]]] * 3)
    assert first.totals["registered_voters"] == 6
    assert first.totals["election_valid"] is False and first.passed is False
    assert not first.options.filter(elected=True).exists()
    assert "held again" in first.explanation_en
    again = poll_create(actor=meeting.chair_user, item=item, question="重新选举")
    assert again.round == 1 and again.max_choices == 1
    assert [o.candidate_id for o in again.options.order_by("position")] == [p.pk for p in candidates]
    # Held again and valid this time: the first round's majority rule, not the second's third.
    again = hold(meeting, again, [[candidates[0]]] * 2 + [[candidates[1]]] * 2)
    assert again.totals["election_valid"] is True and again.passed is False  # 2 of 4 is no majority
    assert poll_create(actor=meeting.chair_user, item=item, question="第二轮").round == 2


@pytest.mark.django_db
def test_an_invalid_further_round_is_held_again_with_its_round_and_candidates() -> None:
    meeting, candidates, item = assembly_election(seats=2)
    first = poll_create(actor=meeting.chair_user, item=item, question="选举")
    # All 6 vote: the first candidate 6 (elected), the two others 3 each (no majority of 6).
    first = hold(meeting, first, [[candidates[0], candidates[1 + i % 2]] for i in range(6)])
    assert first.totals["election_valid"] is True
    second = poll_create(actor=meeting.chair_user, item=item, question="第二轮")
    assert second.round == 2 and second.max_choices == 1
    second = hold(meeting, second, [[candidates[1]]] * 3)  # 3 of 6: not valid
    assert second.totals["election_valid"] is False and not second.options.filter(elected=True).exists()
    third = poll_create(actor=meeting.chair_user, item=item, question="第二轮（重新投票）")
    assert third.round == 2 and third.max_choices == 1
    assert {o.candidate_id for o in third.options.all()} == {candidates[1].pk, candidates[2].pk}
    third = hold(meeting, third, [[candidates[1]]] * 2 + [[candidates[2]]] * 2)  # valid; ≥ 1/3 of 4 = 2
    assert third.round == 2 and third.totals["election_valid"] is True


@pytest.mark.django_db
def test_a_poll_closed_before_validity_was_stored_is_judged_from_its_figures() -> None:
    meeting, candidates, item = assembly_election(seats=1)
    first = hold(
        meeting, poll_create(actor=meeting.chair_user, item=item, question="选举"), [[candidates[0]]]
    )
    Poll.objects.filter(pk=first.pk).update(
        totals={k: v for k, v in first.totals.items() if k not in ("election_valid", "tied")}
    )
    assert poll_create(actor=meeting.chair_user, item=item, question="重新选举").round == 1
