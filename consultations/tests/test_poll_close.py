"""Closing an electronic vote: the ballots counted, the body's rule applied, the result stored
with its figures and citation in both languages."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from consultations.models import Answer, Poll, PollOption, PollState
from consultations.selectors.polls import result_bars
from consultations.services.polls import ballot_cast, poll_close, poll_create, poll_open
from consultations.tests.polls_testing import (
    check_in,
    current_election,
    open_motion_poll,
    seated_meeting,
    user_of,
)
from villagegov.models import AuditRecord, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


def vote(poll, members, answers) -> None:
    options = {o.answer: o.pk for o in PollOption.objects.filter(poll=poll)}
    for member, answer in zip(members, answers, strict=False):
        ballot_cast(actor=user_of(member), poll=poll, choices=[options[answer]])


def test_a_motion_with_a_majority_of_attendees_passes(village: Village) -> None:
    meeting = seated_meeting(village, members=6)
    poll = open_motion_poll(meeting)
    vote(poll, meeting.members, [Answer.YES] * 4 + [Answer.NO])
    poll = poll_close(actor=meeting.chair_user, poll=poll)
    yes = PollOption.objects.get(poll=poll, answer=Answer.YES).pk
    assert poll.state == PollState.CLOSED and poll.closed_at is not None
    assert poll.votes_cast == 5 and poll.counts[str(yes)] == 4
    assert poll.passed is True
    assert "In favour 4, against 1, abstain 0" in poll.explanation_en
    assert "needs 4" in poll.explanation_en and "Art. 26" in poll.explanation_en
    assert "第二十六条" in poll.explanation_zh
    record = AuditRecord.objects.get(action="poll.close", target_id=str(poll.pk))
    assert record.after is not None
    assert record.after["votes_cast"] == 5


def test_half_of_the_attendees_is_not_a_majority(village: Village) -> None:
    meeting = seated_meeting(village, members=6)
    poll = open_motion_poll(meeting)
    vote(poll, meeting.members, [Answer.YES] * 3 + [Answer.NO] * 3)
    assert poll_close(actor=meeting.chair_user, poll=poll).passed is False


def test_a_secret_vote_is_counted_from_the_box(village: Village) -> None:
    meeting = seated_meeting(village, members=6)
    poll = open_motion_poll(meeting, secret=True)
    vote(poll, meeting.members, [Answer.YES] * 5 + [Answer.ABSTAIN])
    poll = poll_close(actor=meeting.chair_user, poll=poll)
    assert poll.votes_cast == 6 and poll.passed is True


def test_closing_twice_is_refused(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    poll_close(actor=meeting.chair_user, poll=poll)
    with pytest.raises(ValidationError, match="not open"):
        poll_close(actor=meeting.chair_user, poll=poll)


def url(meeting, poll, name: str = "poll_close") -> str:
    return reverse(name, args=[meeting.village.admin_code, meeting.session.pk, poll.pk])


def test_the_page_closes_and_shows_the_result_with_text_and_numbers(village: Village) -> None:
    meeting = seated_meeting(village, members=6)
    poll = open_motion_poll(meeting)
    vote(poll, meeting.members, [Answer.YES] * 4)
    client = client_for(meeting.chair)
    assert client.post(url(meeting, poll)).status_code == 302
    page = client.get(url(meeting, poll, "poll_detail"))
    assert page.status_code == 200
    assert b'<span class="badge badge-ok">passed</span>' in page.content
    assert b"not passed" not in page.content and b"badge-bad" not in page.content
    assert b"4 votes" in page.content and b'class="chart-bar chart-bar--votes"' in page.content


def test_the_page_says_not_passed_when_it_did_not_pass(village: Village) -> None:
    meeting = seated_meeting(village, members=6)
    poll = open_motion_poll(meeting)
    vote(poll, meeting.members, [Answer.YES] * 3 + [Answer.NO] * 3)
    client = client_for(meeting.chair)
    assert client.post(url(meeting, poll)).status_code == 302
    page = client.get(url(meeting, poll, "poll_detail"))
    assert b'<span class="badge badge-bad">not passed</span>' in page.content
    assert b'<span class="badge badge-ok">passed</span>' not in page.content


def test_an_election_stores_its_validity_and_who_tied_and_the_bars_read_only_that(
    village: Village, django_assert_num_queries
) -> None:
    meeting = seated_meeting(village, members=6)
    check_in(meeting.session, *meeting.members)
    a, b, c = meeting.members[1:4]
    item = current_election(meeting, seats=2, candidates=[a, b, c])
    poll = poll_open(
        actor=meeting.chair_user, poll=poll_create(actor=meeting.chair_user, item=item, question="选举")
    )
    option = {o.candidate_id: o.pk for o in poll.options.all()}
    # 4 votes each: all three have a majority of the 6 present, and all tie for the 2 seats.
    for member, pair in zip(meeting.members, [(a, b), (a, b), (a, c), (a, c), (b, c), (b, c)], strict=True):
        ballot_cast(actor=user_of(member), poll=poll, choices=[option[p.pk] for p in pair])
    poll = poll_close(actor=meeting.chair_user, poll=poll)
    assert poll.totals["election_valid"] is True
    assert poll.totals["tied"] == sorted(option.values())
    assert poll.totals["attendees"] == 6  # the frozen totals are kept beside them
    stored = Poll.objects.prefetch_related("options").get(pk=poll.pk)
    options = list(stored.options.all())
    with django_assert_num_queries(0):  # no rule set, no recount: what the close stored
        bars = result_bars(stored, options)
    assert [bar.tied for bar in bars] == [True, True, True]
    assert not any(bar.elected for bar in bars)
    record = AuditRecord.objects.get(action="poll.close", target_id=str(poll.pk))
    assert record.after is not None and record.after["totals"]["tied"] == sorted(option.values())


def test_a_motion_stores_no_election_keys(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    poll = poll_close(actor=meeting.chair_user, poll=poll)
    assert "election_valid" not in poll.totals and "tied" not in poll.totals


def test_refusals(village: Village, resident_client: Client, outsider_client: Client) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    assert resident_client.post(url(meeting, poll)).status_code == 403
    assert outsider_client.post(url(meeting, poll)).status_code == 404
    assert Client().post(url(meeting, poll)).status_code == 302
    poll.refresh_from_db()
    assert poll.state == PollState.OPEN
    poll_close(actor=meeting.chair_user, poll=poll)
    again = client_for(meeting.chair).post(url(meeting, poll))
    assert again.status_code == 400 and b"not open" in again.content
