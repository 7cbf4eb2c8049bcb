"""Opening a vote: open session, current item, one at a time, quorum met; the roll and the
totals frozen."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from consultations.models import ItemState, Poll, PollState, PollVoter
from consultations.services.polls import poll_create, poll_open
from consultations.tests.polls_testing import check_in, current_motion, seated_meeting
from villagegov.models import AuditRecord, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


def prepared(village: Village, *, present: int, members: int = 6):
    meeting = seated_meeting(village, members=members)
    check_in(meeting.session, *meeting.members[:present])
    poll = poll_create(actor=meeting.chair_user, item=current_motion(meeting), question="同意吗？")
    return meeting, poll


def test_opening_freezes_the_roll_and_the_totals(village: Village) -> None:
    meeting, poll = prepared(village, present=5)
    poll = poll_open(actor=meeting.chair_user, poll=poll)
    assert poll.state == PollState.OPEN and poll.opened_at is not None
    assert poll.entitled_count == 5
    assert set(PollVoter.objects.filter(poll=poll).values_list("person_id", flat=True)) == {
        p.pk for p in meeting.members[:5]
    }
    assert poll.totals["attendees"] == 5 and poll.totals["all_members"] == 6
    record = AuditRecord.objects.get(action="poll.open", target_id=str(poll.pk))
    assert record.after is not None
    assert record.after["entitled_count"] == 5


def test_without_quorum_the_vote_does_not_open_and_the_figures_say_why(village: Village) -> None:
    meeting, poll = prepared(village, present=3)  # 3 of 6 < 2/3
    with pytest.raises(ValidationError, match=r"quorum is not met.*3 people.*needs 4"):
        poll_open(actor=meeting.chair_user, poll=poll)
    poll.refresh_from_db()
    assert poll.state == PollState.CREATED and not PollVoter.objects.exists()


def test_only_on_the_current_item(village: Village) -> None:
    meeting, poll = prepared(village, present=6)
    item = poll.item
    item.state = ItemState.DONE
    item.save(update_fields=["state"])
    with pytest.raises(ValidationError, match="current item"):
        poll_open(actor=meeting.chair_user, poll=poll)


def test_one_open_vote_at_a_time(village: Village) -> None:
    meeting, poll = prepared(village, present=6)
    poll_open(actor=meeting.chair_user, poll=poll)
    other = Poll.objects.create(item=poll.item, question="又一个", created_by=meeting.chair_user)
    with pytest.raises(ValidationError, match="Another vote"):
        poll_open(actor=meeting.chair_user, poll=other)


def test_twice_is_refused(village: Village) -> None:
    meeting, poll = prepared(village, present=6)
    poll_open(actor=meeting.chair_user, poll=poll)
    with pytest.raises(ValidationError, match="already been opened"):
        poll_open(actor=meeting.chair_user, poll=poll)


def url(meeting, poll) -> str:
    return reverse("poll_open", args=[meeting.village.admin_code, meeting.session.pk, poll.pk])


def test_the_page_opens_it_or_shows_the_refusal_with_400(village: Village) -> None:
    meeting, poll = prepared(village, present=3)
    client = client_for(meeting.chair)
    refused = client.post(url(meeting, poll))
    assert refused.status_code == 400 and b"quorum is not met" in refused.content
    check_in(meeting.session, *meeting.members[3:])
    assert client.post(url(meeting, poll)).status_code == 302
    assert Poll.objects.get(pk=poll.pk).state == PollState.OPEN


def test_get_is_not_allowed_and_others_are_refused(
    village: Village, resident_client: Client, outsider_client: Client
) -> None:
    meeting, poll = prepared(village, present=6)
    assert client_for(meeting.chair).get(url(meeting, poll)).status_code == 405
    assert resident_client.post(url(meeting, poll)).status_code == 403
    assert outsider_client.post(url(meeting, poll)).status_code == 404
    assert Client().post(url(meeting, poll)).status_code == 302
    assert Poll.objects.get(pk=poll.pk).state == PollState.CREATED
