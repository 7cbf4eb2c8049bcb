"""Changing an item not yet taken up."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from consultations.matters import Matter
from consultations.models import ElectionItem, ItemState, MotionItem, Session, SessionState
from consultations.services.agenda import agenda_item_update
from consultations.tests.agenda_testing import add_item, delegate, item_url, refused_everywhere
from consultations.tests.attendance_testing import make_session, representatives_meeting
from villagegov.models import Body, Person, User, Village
from villagegov.testing import council_of

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def session(village: Village, official: Person) -> Session:
    return make_session(representatives_meeting(village), state=SessionState.OPEN, chair=official)


def test_changes_a_pending_motion(session: Session, actor: User) -> None:
    item = add_item(session, kind="motion")
    delegate(session.council.village, Matter.HOMESTEAD_PLAN, actor)
    agenda_item_update(actor=actor, item=item, title="新标题", text="新文本", matter=Matter.HOMESTEAD_PLAN)
    item = MotionItem.objects.get(pk=item.pk)
    assert (item.title, item.text, item.matter) == ("新标题", "新文本", Matter.HOMESTEAD_PLAN)


@pytest.mark.parametrize("state", [ItemState.CURRENT, ItemState.DONE])
def test_refused_once_taken_up(session: Session, actor: User, state: ItemState) -> None:
    item = add_item(session, state=state)
    with pytest.raises(ValidationError, match="not yet taken up"):
        agenda_item_update(actor=actor, item=item, title="新标题")


def test_refuses_a_matter_the_body_cannot_decide(village: Village, official: Person, actor: User) -> None:
    item = add_item(
        make_session(council_of(village, Body.DELIBERATION_COUNCIL), chair=official), kind="motion"
    )
    with pytest.raises(ValidationError, match=r"Art\. 24"):
        agenda_item_update(
            actor=actor, item=item, title="补偿", text="分配补偿费", matter=Matter.LAND_COMPENSATION
        )
    assert MotionItem.objects.get(pk=item.pk).matter == ""


def test_page_shows_the_item_and_saves(session: Session, official_client: Client) -> None:
    item = add_item(session, kind="election", office="组长")
    url = item_url("agenda_item_update", item)
    assert 'value="组长"' in official_client.get(url).content.decode()
    response = official_client.post(url, {"title": "选举", "office": "会计", "seats": "2"})
    assert response.status_code == 302
    election = ElectionItem.objects.get(pk=item.pk)
    assert (election.office, election.seats) == ("会计", 2)


def test_invalid_post_400_and_no_change(session: Session, official_client: Client) -> None:
    item = add_item(session, title="原题")
    assert official_client.post(item_url("agenda_item_update", item), {"title": ""}).status_code == 400
    item.refresh_from_db()
    assert item.title == "原题"


def test_who_may_use_the_page(
    session: Session, resident_client: Client, outsider_client: Client, client: Client
) -> None:
    item = add_item(session, title="原题")
    refused_everywhere(
        item_url("agenda_item_update", item),
        resident=resident_client,
        outsider=outsider_client,
        anonymous=client,
        data={"title": "改"},
    )
    item.refresh_from_db()
    assert item.title == "原题"
