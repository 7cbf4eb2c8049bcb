"""No running count before the close, for any vote (secret or named, however small the group):
while a vote is open its pages, the hall's screen, the live snapshot and the progress events say
only how many of those entitled have voted, never how many chose what. The close shows the
result everywhere (the same checks then find it: they can fail)."""

import pytest
from django.urls import reverse

from consultations.events import poll_progress
from consultations.models import Answer, Poll, PollOption
from consultations.selectors.live import hall_screen, session_snapshot
from consultations.services.polls import ballot_cast, poll_close
from consultations.tests.polls_testing import Meeting, open_motion_poll, seated_meeting, user_of
from villagegov.models import Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")

# What shows a result: the poll card's chart, the hall's result and chart, their bars.
RESULT_MARKS = ("poll-result", "hall-result", "hall-chart", "chart-bar")
RESULT_KEYS = {"counts", "votes_cast", "passed", "explanation"}


def pages(meeting: Meeting, poll: Poll) -> dict[str, str]:
    """Every page that shows the vote, as a voter and as the chair (who also sees the hall)."""
    code, session = meeting.village.admin_code, meeting.session.pk
    urls = [
        reverse("session_detail", args=[code, session]),
        reverse("poll_detail", args=[code, session, poll.pk]),
        reverse("session_live", args=[code, session]),
    ]
    chair_only = [reverse("session_hall", args=[code, session]), f"{urls[2]}?view=hall"]
    shown: dict[str, str] = {}
    for who, client in (("voter", client_for(meeting.members[1])), ("chair", client_for(meeting.chair))):
        for url in urls + (chair_only if who == "chair" else []):
            response = client.get(url)
            assert response.status_code == 200, url
            shown[f"{who} {url}"] = response.content.decode()
    return shown


def small_vote(village: Village, *, secret: bool) -> tuple[Meeting, Poll]:
    """Three of four members vote, two in favour and one against."""
    meeting = seated_meeting(village, members=4)
    poll = open_motion_poll(meeting, secret=secret)
    options = {o.answer: o.pk for o in PollOption.objects.filter(poll=poll)}
    for member, answer in zip(meeting.members, (Answer.YES, Answer.NO, Answer.YES), strict=False):
        ballot_cast(actor=user_of(member), poll=poll, choices=[options[answer]])
    return meeting, poll


@pytest.mark.parametrize("secret", [True, False], ids=["secret", "named"])
def test_an_open_vote_shows_who_voted_how_many_but_no_count(village: Village, secret: bool) -> None:
    meeting, poll = small_vote(village, secret=secret)
    stored = Poll.objects.get(pk=poll.pk)
    assert (stored.counts, stored.votes_cast, stored.passed) == ({}, None, None)  # nothing counted yet
    for page, html in pages(meeting, poll).items():
        assert not [mark for mark in RESULT_MARKS if mark in html], page
    snapshot = session_snapshot(meeting.session, meeting.members[1])
    assert snapshot["open_poll"]["voted"] == 3 and snapshot["open_poll"]["entitled"] == 4
    assert not RESULT_KEYS & set(snapshot["open_poll"]) and snapshot["closed_polls"] == []
    assert set(poll_progress(poll_id=poll.pk)) == {"poll", "voted", "entitled"}
    screen = hall_screen(meeting.session)
    assert screen["progress"]["voted"] == 3 and screen["chart"] is None and screen["verdict"] is None


@pytest.mark.parametrize("secret", [True, False], ids=["secret", "named"])
def test_the_close_shows_the_result_everywhere(village: Village, secret: bool) -> None:
    meeting, poll = small_vote(village, secret=secret)
    poll_close(actor=meeting.chair_user, poll=poll)
    shown = pages(meeting, poll)
    for page, html in shown.items():
        assert [mark for mark in RESULT_MARKS if mark in html], page
    closed = session_snapshot(meeting.session, meeting.members[1])["closed_polls"][0]
    assert closed["votes_cast"] == 3 and sorted(closed["counts"].values()) == [0, 1, 2]
