"""The demo village's consultations: an announced villager representatives' meeting."""

from io import StringIO

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings

from consultations.demo import DEMO_NOTICE_DAYS, demo_build
from consultations.models import Session, SessionState
from villagegov.models import Body, Notification, Village
from villagegov.services.demo import demo_village_build


@pytest.fixture
def village(db: None) -> Village:
    return demo_village_build(households=30).village


def test_an_announced_representatives_meeting_with_its_members_notified(village: Village) -> None:
    demo_build(village=village)
    session = Session.objects.get()
    assert session.council.body == Body.REPRESENTATIVES_MEETING
    assert session.state == SessionState.ANNOUNCED
    assert session.announced_at is not None
    assert (session.starts_at - session.announced_at).days >= DEMO_NOTICE_DAYS - 1
    assert (
        Notification.objects.filter(link__contains=f"/sessions/{session.pk}/").count()
        == session.council.seats.count()
    )


def test_twice_is_once(village: Village) -> None:
    demo_build(village=village)
    demo_build(village=village)
    assert Session.objects.count() == 1


def test_seed_demo_builds_the_apps_parts(db: None, settings: Settings) -> None:
    settings.DEBUG = True
    call_command("seed_demo", "--households", "30", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert Session.objects.filter(state=SessionState.ANNOUNCED).count() == 1
