"""decision_list and decision_detail: each major decision's progress and its six steps in order."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations.models import DecisionProcess, SessionState
from consultations.selectors.decisions import decision_polls, process_steps
from consultations.services.decisions import decision_create
from consultations.tests.attendance_testing import make_session, representatives_meeting
from consultations.tests.minutes_testing import make_closed_poll, make_resolution, record_steps
from villagegov.models import Body, Person, User, Village
from villagegov.testing import council_of

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def process(village: Village, actor: User) -> DecisionProcess:
    return decision_create(actor=actor, village=village, title="村道修建")


def detail(process: DecisionProcess) -> str:
    return reverse("decision_detail", args=[process.village.admin_code, process.pk])


def test_steps_are_done_next_and_later(process: DecisionProcess, actor: User) -> None:
    record_steps(process, actor, upto=2)
    assert [row.state for row in process_steps(process)] == [
        "done",
        "done",
        "next",
        "later",
        "later",
        "later",
    ]


def test_decision_polls_are_closed_passed_and_of_deciding_bodies(
    village: Village, official: Person, other_village: Village
) -> None:
    reps = make_session(representatives_meeting(village), state=SessionState.CLOSED, chair=official)
    good = make_closed_poll(reps)
    make_closed_poll(reps, passed=False)
    committee = make_session(
        council_of(village, Body.VILLAGE_COMMITTEE), state=SessionState.CLOSED, chair=official
    )
    make_closed_poll(committee)
    assert list(decision_polls(village)) == [good]
    assert list(decision_polls(other_village)) == []


def test_the_votes_are_labelled_with_their_local_day(
    process: DecisionProcess, actor: User, village: Village, official: Person, official_client: Client
) -> None:
    from datetime import timedelta

    from django.utils import timezone
    from django.utils.html import escape

    from villagegov.formats import local_date

    reps = make_session(representatives_meeting(village), state=SessionState.CLOSED, chair=official)
    # 04:00 in China is 20:00 UTC the day before: the label gives the day in China.
    closed = timezone.localtime(timezone.now()).replace(hour=4, minute=0) - timedelta(days=3)
    make_closed_poll(reps, question="是否同意？", closed_at=closed)
    record_steps(process, actor, upto=3)
    text = official_client.get(detail(process)).content.decode()
    assert f"是否同意？ · {escape(reps.council.name)} · {reps.title} · {local_date(closed.date())}" in text
    assert closed.date().isoformat() not in text


def test_the_select_of_a_matter_offers_only_its_votes(
    village: Village, actor: User, official: Person, official_client: Client
) -> None:
    process = decision_create(actor=actor, village=village, title="修订村规民约", matter="charter_or_compact")
    record_steps(process, actor, upto=3)
    reps = make_session(representatives_meeting(village), state=SessionState.CLOSED, chair=official)
    make_closed_poll(reps, question="代表会议表决", matter="charter_or_compact")
    make_closed_poll(reps, question="无关表决")
    text = official_client.get(detail(process)).content.decode()
    assert "代表会议表决" not in text and "无关表决" not in text
    assert "on a motion about village charter or village compact" in text


def test_list_shows_progress_and_next_step(
    village: Village, process: DecisionProcess, actor: User, resident_client: Client
) -> None:
    record_steps(process, actor, upto=3)
    url = reverse("decision_list", args=[village.admin_code])
    response = resident_client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "村道修建" in text and "3 / 6" in text and "decision of the villagers" in text
    for n in range(5):
        decision_create(actor=actor, village=village, title=f"事项{n}")
    with CaptureQueriesContext(connection) as queries:
        assert resident_client.get(url).status_code == 200
    assert len(queries) < 20


def test_detail_for_a_resident_has_no_form(process: DecisionProcess, resident_client: Client) -> None:
    response = resident_client.get(detail(process))
    assert response.status_code == 200
    text = response.content.decode()
    assert "not yet possible" in text and "Record this step" not in text


def test_detail_for_a_recorder_has_the_next_steps_form(
    process: DecisionProcess, official_client: Client
) -> None:
    text = official_client.get(detail(process)).content.decode()
    assert "Record this step" in text and 'name="step"' in text and 'value="1"' in text


def test_detail_links_the_unpublished_resolution(
    process: DecisionProcess, actor: User, village: Village, official: Person, official_client: Client
) -> None:
    session = make_session(representatives_meeting(village), state=SessionState.CLOSED, chair=official)
    poll = make_closed_poll(session)
    make_resolution(poll)
    record_steps(process, actor, upto=4, poll=poll)
    text = official_client.get(detail(process)).content.decode()
    assert "must be published on the public board" in text
    assert reverse("minutes_detail", args=[village.admin_code, session.pk]) in text


def test_all_six_done(
    process: DecisionProcess, actor: User, village: Village, official: Person, resident_client: Client
) -> None:
    session = make_session(representatives_meeting(village), state=SessionState.CLOSED, chair=official)
    poll = make_closed_poll(session)
    resolution = make_resolution(poll, published_by=actor)
    record_steps(process, actor, upto=6, poll=poll)
    text = resident_client.get(detail(process)).content.decode()
    assert "All six steps are recorded" in text
    assert reverse("resolution_detail", args=[village.admin_code, resolution.pk]) in text


def test_pages_other_village_ids_and_anonymous(
    process: DecisionProcess, outsider_client: Client, other_village: Village, official_client: Client
) -> None:
    assert outsider_client.get(detail(process)).status_code == 404
    assert (
        outsider_client.get(
            reverse("decision_detail", args=[other_village.admin_code, process.pk])
        ).status_code
        == 404
    )
    assert (
        official_client.get(
            reverse("decision_detail", args=[process.village.admin_code, 10**18 - 1])
        ).status_code
        == 404
    )
    for url in (detail(process), reverse("decision_list", args=[process.village.admin_code])):
        response = Client().get(url)
        assert response.status_code == 302 and reverse("account_login") in response["Location"]
