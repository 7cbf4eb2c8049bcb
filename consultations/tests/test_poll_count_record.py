"""Entering the counts of a show of hands or of paper ballots, with the tellers' names."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from consultations.models import Answer, PollMethod, PollOption, PollState
from consultations.services.polls import poll_count_record, poll_create, poll_open
from consultations.tests.polls_testing import check_in, current_election, open_motion_poll, seated_meeting
from villagegov.models import Village
from villagegov.testing import client_for
from villagegov.tests.hostile_testing import in_chinese, refusal_text

pytestmark = pytest.mark.usefixtures("english")


def by_answer(poll) -> dict[str, int]:
    return {o.answer: o.pk for o in PollOption.objects.filter(poll=poll)}


def test_a_show_of_hands_is_closed_with_the_counts_and_the_rule(village: Village) -> None:
    meeting = seated_meeting(village, members=6)
    poll = open_motion_poll(meeting, method=PollMethod.SHOW_OF_HANDS)
    ids = by_answer(poll)
    poll = poll_count_record(
        actor=meeting.chair_user,
        poll=poll,
        counts={ids[Answer.YES]: 4, ids[Answer.NO]: 1, ids[Answer.ABSTAIN]: 1},
        tellers="张三、李四",
    )
    assert poll.state == PollState.CLOSED and poll.passed is True and poll.votes_cast == 6
    assert poll.tellers == "张三、李四"


@pytest.mark.parametrize(
    "yes, no, abstain, tellers, message",
    [
        (4, 1, 1, " ", "tellers"),
        (7, 0, 0, "张三", "between 0 and 6"),
        (-1, 0, 0, "张三", "between 0 and 6"),
        (3, 3, 1, "张三", "add up to 7"),
    ],
)
def test_impossible_counts_are_refused(
    village: Village, yes: int, no: int, abstain: int, tellers: str, message: str
) -> None:
    meeting = seated_meeting(village, members=6)
    poll = open_motion_poll(meeting, method=PollMethod.PAPER)
    ids = by_answer(poll)
    with pytest.raises(ValidationError, match=message):
        poll_count_record(
            actor=meeting.chair_user,
            poll=poll,
            counts={ids[Answer.YES]: yes, ids[Answer.NO]: no, ids[Answer.ABSTAIN]: abstain},
            tellers=tellers,
        )
    poll.refresh_from_db()
    assert poll.state == PollState.OPEN


def test_an_election_on_paper_needs_the_ballots_cast_and_no_candidate_above_them(village: Village) -> None:
    meeting = seated_meeting(village, members=6)
    check_in(meeting.session, *meeting.members)
    item = current_election(meeting, seats=1, candidates=meeting.members[1:3])
    poll = poll_open(
        actor=meeting.chair_user,
        poll=poll_create(actor=meeting.chair_user, item=item, question="选举", method=PollMethod.PAPER),
    )
    ids = [o.pk for o in poll.options.order_by("position")]
    with pytest.raises(ValidationError, match="number of ballots"):
        poll_count_record(actor=meeting.chair_user, poll=poll, counts={ids[0]: 4, ids[1]: 1}, tellers="张三")
    with pytest.raises(ValidationError, match="more votes than the 3 ballots"):
        poll_count_record(
            actor=meeting.chair_user, poll=poll, counts={ids[0]: 4, ids[1]: 1}, tellers="张三", votes_cast=3
        )
    poll = poll_count_record(
        actor=meeting.chair_user, poll=poll, counts={ids[0]: 4, ids[1]: 1}, tellers="张三", votes_cast=6
    )
    assert poll.passed is True


def test_an_electronic_vote_is_not_closed_by_counts(village: Village) -> None:
    meeting = seated_meeting(village)
    poll = open_motion_poll(meeting)
    ids = by_answer(poll)
    with pytest.raises(ValidationError, match="cast on phones"):
        poll_count_record(
            actor=meeting.chair_user, poll=poll, counts={i: 0 for i in ids.values()}, tellers="张三"
        )


def url(meeting, poll) -> str:
    return reverse("poll_count_record", args=[meeting.village.admin_code, meeting.session.pk, poll.pk])


def test_the_page(village: Village, resident_client: Client, outsider_client: Client) -> None:
    meeting = seated_meeting(village, members=6)
    poll = open_motion_poll(meeting, method=PollMethod.SHOW_OF_HANDS)
    ids = by_answer(poll)
    client = client_for(meeting.chair)
    assert client.get(url(meeting, poll)).status_code == 200
    data = {
        f"option_{ids[Answer.YES]}": "9",
        f"option_{ids[Answer.NO]}": "0",
        f"option_{ids[Answer.ABSTAIN]}": "0",
    }
    bad = client.post(url(meeting, poll), {**data, "tellers": "张三"})
    assert bad.status_code == 400 and b"between 0 and 6" in bad.content
    assert (
        client.post(
            url(meeting, poll), {**data, "tellers": "张三", f"option_{ids[Answer.YES]}": "x"}
        ).status_code
        == 400
    )
    assert resident_client.post(url(meeting, poll), data).status_code == 403
    assert outsider_client.post(url(meeting, poll), data).status_code == 404
    poll.refresh_from_db()
    assert poll.state == PollState.OPEN
    data[f"option_{ids[Answer.YES]}"] = "5"
    assert client.post(url(meeting, poll), {**data, "tellers": "张三"}).status_code == 302
    page = client.get(reverse("poll_detail", args=[village.admin_code, meeting.session.pk, poll.pk]))
    assert "张三".encode() in page.content


def test_counts_for_a_vote_no_longer_open_say_why_in_chinese(village: Village) -> None:
    meeting = seated_meeting(village, members=6)
    poll = open_motion_poll(meeting, method=PollMethod.SHOW_OF_HANDS)
    ids = by_answer(poll)
    data = {
        f"option_{ids[Answer.YES]}": "5",
        f"option_{ids[Answer.NO]}": "1",
        f"option_{ids[Answer.ABSTAIN]}": "0",
    }
    client = client_for(meeting.chair)
    assert client.post(url(meeting, poll), {**data, "tellers": "张三"}).status_code == 302
    with in_chinese():
        again = client.post(url(meeting, poll), {**data, "tellers": "李四"})
        garbage = client.post(url(meeting, poll), {"tellers": ""})
    assert again.status_code == 400 and "该表决未在进行中。" in refusal_text(again.content.decode())
    assert garbage.status_code == 400 and "这个字段是必填项。" in refusal_text(garbage.content.decode())
    poll.refresh_from_db()
    assert poll.tellers == "张三"
