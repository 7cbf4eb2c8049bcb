"""An item's page (kind, motion's matter, speakers with the timer, discussion) and the agenda
panel of the session's page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations.matters import Matter
from consultations.models import AgendaItem, ItemState, SessionState, SpeakerRequest, SpeakerState
from consultations.selectors.agenda import speaking_timer
from consultations.tests.agenda_testing import Meeting, add_item, item_url, make_meeting, session_url
from villagegov.models import Person, Village

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def meeting(village: Village, official: Person) -> Meeting:
    return make_meeting(village, official)


def speaking(meeting: Meeting, item: AgendaItem, seconds_ago: int) -> SpeakerRequest:
    began = timezone.now() - timedelta(seconds=seconds_ago)
    return SpeakerRequest.objects.create(
        item=item,
        person=meeting.members[0],
        requested_at=began,
        state=SpeakerState.SPEAKING,
        started_at=began,
    )


def test_timer_counts_down_from_the_speaking_time(meeting: Meeting) -> None:
    item = add_item(meeting.session, state=ItemState.CURRENT)
    request = speaking(meeting, item, 0)
    assert request.started_at is not None
    now = request.started_at + timedelta(seconds=61.5)
    timer = speaking_timer(request, meeting.session, now=now)
    assert timer is not None and timer.display == "1:58" and not timer.over_time
    late = speaking_timer(request, meeting.session, now=now + timedelta(seconds=120))
    assert late is not None and late.over_time and late.display == "0:00"


def test_page_shows_the_speaker_timer_and_over_time(meeting: Meeting, resident_client: Client) -> None:
    item = add_item(meeting.session, state=ItemState.CURRENT)
    speaking(meeting, item, 200)
    html = resident_client.get(item_url("agenda_item_detail", item)).content.decode()
    assert "<time data-deadline=" in html and "over time" in html and meeting.members[0].name in html


def test_motion_page_names_the_bodies_and_citation(meeting: Meeting, resident_client: Client) -> None:
    item = add_item(meeting.session, kind="motion", matter=Matter.HOMESTEAD_PLAN, text="宅基地方案")
    html = resident_client.get(item_url("agenda_item_detail", item)).content.decode()
    assert "宅基地方案" in html and "homestead allocation plan" in html and "Organic Law, Art. 24" in html


def test_draft_sessions_items_are_hidden_from_villagers(
    village: Village, official: Person, resident_client: Client, official_client: Client
) -> None:
    draft = make_meeting(village, official, state=SessionState.DRAFT)
    item = add_item(draft.session)
    assert resident_client.get(item_url("agenda_item_detail", item)).status_code == 404
    assert official_client.get(item_url("agenda_item_detail", item)).status_code == 200


def test_other_village_and_anonymous(
    meeting: Meeting, other_village: Village, outsider_client: Client, client: Client
) -> None:
    item = add_item(meeting.session)
    assert outsider_client.get(item_url("agenda_item_detail", item)).status_code == 404
    assert outsider_client.get(item_url("agenda_item_detail", item, other_village)).status_code == 404
    assert client.get(item_url("agenda_item_detail", item)).status_code == 302


def test_session_page_shows_the_agenda_with_the_current_item(
    meeting: Meeting, official_client: Client, resident_client: Client
) -> None:
    add_item(meeting.session, title="第一项", state=ItemState.DONE)
    current = add_item(meeting.session, title="第二项", state=ItemState.CURRENT)
    add_item(meeting.session, title="第三项", kind="motion")
    speaking(meeting, current, 10)
    SpeakerRequest.objects.create(item=current, person=meeting.members[1], requested_at=timezone.now())
    html = official_client.get(session_url("session_detail", meeting.session)).content.decode()
    listed = html.split('class="agenda-list"')[1]
    assert listed.index("第一项") < listed.index("第二项") < listed.index("第三项")
    assert "Under way now: 第二项" in html and 'aria-current="step"' in html
    assert "1 waiting to speak" in html and f"Speaking: {meeting.members[0].name}" in html
    assert "Finish this item" in html and "Take up this item" in html and "?kind=motion" in html
    villager = resident_client.get(session_url("session_detail", meeting.session)).content.decode()
    assert "Under way now: 第二项" in villager and "Take up this item" not in villager


def test_agenda_panel_queries_do_not_grow_with_the_agenda(meeting: Meeting, official_client: Client) -> None:
    url = session_url("session_detail", meeting.session)
    add_item(meeting.session)
    official_client.get(url)
    with CaptureQueriesContext(connection) as few:
        official_client.get(url)
    for kind in ("motion", "election", "report", "discussion") * 3:
        add_item(meeting.session, kind=kind)
    with CaptureQueriesContext(connection) as many:
        official_client.get(url)
    assert len(many) == len(few)
