"""The ballot page: the vote form for an entitled voter, idempotent double submits, "you have
voted", progress without counts by option before the close."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from consultations.models import Answer, Ballot, BallotIntake, PollOption, SecretBallot
from consultations.services.polls import ballot_cast, poll_create, poll_open
from consultations.tests.polls_testing import (
    check_in,
    current_election,
    open_motion_poll,
    seated_meeting,
    user_of,
)
from villagegov.models import Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


def urls(meeting, poll) -> tuple[str, str]:
    args = [meeting.village.admin_code, meeting.session.pk, poll.pk]
    return reverse("poll_detail", args=args), reverse("poll_vote", args=args)


def test_an_entitled_voter_sees_the_form_votes_and_sees_their_choice(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    detail, vote = urls(meeting, poll)
    client = client_for(meeting.members[1])
    page = client.get(detail)
    assert page.status_code == 200 and b'name="client_id"' in page.content and b'type="radio"' in page.content
    assert (
        f'data-poll-progress="{poll.pk}"'.encode() in page.content
        and b"<span data-voted>0</span> of <span data-entitled>6</span> have voted" in page.content
    )
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    response = client.post(vote, {"choices": yes, "client_id": "abc"})
    assert response.status_code == 302
    again = client.post(vote, {"choices": yes, "client_id": "abc"})  # the button pressed twice
    assert again.status_code == 302 and Ballot.objects.count() == 1
    page = client.get(detail)
    assert (
        b"you have voted" in page.content
        and b"<span data-voted>1</span> of <span data-entitled>6</span> have voted" in page.content
    )
    assert b"Your choice:" in page.content


def test_a_secret_voter_is_told_only_that_the_ballot_is_in_the_box(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting, secret=True)
    detail, vote = urls(meeting, poll)
    client = client_for(meeting.members[1])
    no = PollOption.objects.get(poll=poll, answer=Answer.NO).pk
    assert client.post(vote, {"choices": no, "client_id": "s"}).status_code == 302
    page = client.get(detail)
    assert b"Your ballot is in the box." in page.content and b"Your choice:" not in page.content
    assert BallotIntake.objects.count() == 1 and not SecretBallot.objects.exists()  # sealed until the close


def test_no_counts_by_option_before_the_close(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    detail, vote = urls(meeting, poll)
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    client_for(meeting.members[1]).post(vote, {"choices": yes})
    page = client_for(meeting.members[2]).get(detail)
    assert b"chart-bar" not in page.content and b"1 vote" not in page.content


def test_bad_input_is_refused_with_400_and_changes_nothing(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    _, vote = urls(meeting, poll)
    client = client_for(meeting.members[1])
    for data in (
        {},
        {"choices": "x"},
        {"choices": 10**30},
        {"choices": 999999},
        {"choices": 1, "for_person": -5},
    ):
        assert client.post(vote, data).status_code == 400, data
    assert not Ballot.objects.exists()


@pytest.mark.parametrize(
    "data, reason, not_said",
    [
        ({"choices": ""}, b"Choose an answer before you vote.", b"not options"),
        ({"choices": 999999}, b"These are not options of this vote.", b"Choose an answer"),
        ({"for_person": -5}, b"You do not hold a written proxy for this person", b"Choose an answer"),
        ({"for_person": "x"}, b"You do not hold a written proxy for this person", b"Choose an answer"),
        ({"client_id": "x" * 65}, b"The request id is not valid.", b"Choose an answer"),
    ],
)
def test_a_refused_ballot_says_the_real_reason(
    village: Village, data: dict, reason: bytes, not_said: bytes
) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    _, vote = urls(meeting, poll)
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    response = client_for(meeting.members[1]).post(vote, {"choices": yes} | data)
    assert response.status_code == 400
    assert reason in response.content and not_said not in response.content
    assert response.content.count(reason) == 1  # said once, not also beside the choices
    assert not Ballot.objects.exists()


def test_the_choices_shown_are_joined_with_the_languages_own_separator(village: Village) -> None:
    meeting = seated_meeting(village)
    check_in(meeting.session, *meeting.members)
    item = current_election(meeting, seats=2, candidates=meeting.members[1:4])
    poll = poll_open(
        actor=meeting.chair_user, poll=poll_create(actor=meeting.chair_user, item=item, question="选举")
    )
    first, second = list(poll.options.order_by("position"))[:2]
    ballot_cast(actor=user_of(meeting.members[1]), poll=poll, choices=[first.pk, second.pk])
    detail, _ = urls(meeting, poll)
    client = client_for(meeting.members[1])
    assert f"{first.label}, {second.label}".encode() in client.get(detail).content
    with override_settings(LANGUAGE_CODE="zh-hans"), translation.override("zh-hans"):
        chinese = client.get(detail).content.decode()
    assert f"{first.label}、{second.label}" in chinese and f"{first.label}, " not in chinese


def test_a_latecomer_is_told_why_they_cannot_vote(village: Village) -> None:
    meeting = seated_meeting(village, members=7)
    poll = open_motion_poll(meeting, present=6)
    check_in(meeting.session, meeting.members[6])
    _, vote = urls(meeting, poll)
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    response = client_for(meeting.members[6]).post(vote, {"choices": yes})
    assert response.status_code == 400 and b"not present when this vote opened" in response.content


def test_others_are_refused(village: Village, outsider_client: Client) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    detail, vote = urls(meeting, poll)
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    assert outsider_client.post(vote, {"choices": yes}).status_code == 404
    assert outsider_client.get(detail).status_code == 404
    anonymous = Client().post(vote, {"choices": yes})
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert client_for(meeting.members[1]).get(vote).status_code == 405
    assert not Ballot.objects.exists()


def test_the_session_page_shows_the_open_vote_with_the_ballot(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    page = client_for(meeting.members[1]).get(
        reverse("session_detail", args=[village.admin_code, meeting.session.pk])
    )
    assert page.status_code == 200
    assert poll.question.encode() in page.content and b'name="choices"' in page.content
