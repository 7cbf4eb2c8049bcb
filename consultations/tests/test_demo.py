"""The demo village's consultations: an announced representatives' meeting with a motion ready to
vote, today's closed meeting with signed minutes and a published resolution, residents' matters."""

from io import StringIO

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings

from consultations.demo import DEMO_CLOSED_TITLE, DEMO_NOTICE_DAYS, DEMO_SESSION_TITLE, demo_build
from consultations.models import (
    DecisionStep,
    MotionItem,
    Poll,
    PollState,
    Resolution,
    Session,
    SessionState,
    Topic,
    TopicState,
)
from villagegov.models import AuditRecord, Body, Notification, Village
from villagegov.services.audit import audit_chain_verify
from villagegov.services.demo import demo_village_build


@pytest.fixture
def village(db: None) -> Village:
    return demo_village_build(households=30).village


def test_an_announced_representatives_meeting_with_a_motion_ready_to_vote(village: Village) -> None:
    demo_build(village=village)
    session = Session.objects.get(title=DEMO_SESSION_TITLE)
    assert session.council.body == Body.REPRESENTATIVES_MEETING
    assert session.state == SessionState.ANNOUNCED
    assert session.announced_at is not None
    assert (session.starts_at - session.announced_at).days >= DEMO_NOTICE_DAYS - 1
    assert (
        Notification.objects.filter(link__contains=f"/sessions/{session.pk}/").count()
        == session.council.seats.count()
    )
    motion = MotionItem.objects.get(session=session)
    assert motion.matter
    poll = Poll.objects.get(item=motion)
    assert poll.state == PollState.CREATED


def test_a_closed_meeting_with_signed_minutes_and_a_published_resolution(village: Village) -> None:
    demo_build(village=village)
    session = Session.objects.get(title=DEMO_CLOSED_TITLE)
    assert session.state == SessionState.CLOSED
    assert session.minutes.signed_at is not None and session.minutes.signed_by == session.chair
    poll = Poll.objects.get(item__session=session)
    assert poll.state == PollState.CLOSED and poll.passed is True
    assert "第二十六条" in poll.explanation_zh
    resolution = Resolution.objects.get(session=session)
    assert resolution.published_at is not None and resolution.poll == poll
    assert DecisionStep.objects.filter(process__village=village, poll=poll).exists()


def test_residents_matters_one_answered_one_open(village: Village) -> None:
    demo_build(village=village)
    states = set(Topic.objects.filter(village=village).values_list("state", flat=True))
    assert states == {TopicState.HANDLED, TopicState.RAISED}


def test_everything_went_through_the_audited_services(village: Village) -> None:
    before = AuditRecord.objects.count()
    demo_build(village=village)
    actions = set(AuditRecord.objects.values_list("action", flat=True)[before:])
    assert {
        "session.announce",
        "poll.count_record",
        "minutes.sign",
        "resolution.publish",
        "topic.answer",
    } <= actions
    assert audit_chain_verify().ok


def test_twice_is_once(village: Village) -> None:
    demo_build(village=village)
    demo_build(village=village)
    assert Session.objects.count() == 2


def test_seed_demo_builds_the_apps_parts(db: None, settings: Settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo", "--households", "30", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert Session.objects.filter(state=SessionState.ANNOUNCED).count() == 1
    # Today's representatives' meeting; the collective's demo adds its own two (assets/demo.py).
    assert Session.objects.filter(state=SessionState.CLOSED, title=DEMO_CLOSED_TITLE).count() == 1
