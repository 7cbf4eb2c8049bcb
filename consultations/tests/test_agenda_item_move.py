"""Reordering the agenda: a pending item swaps with its neighbour."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from consultations.models import AgendaItem, ItemState, Session, SessionState
from consultations.services.agenda import agenda_item_move
from consultations.tests.agenda_testing import add_item, item_url, refused_everywhere
from consultations.tests.attendance_testing import make_session, representatives_meeting
from villagegov.models import Person, User, Village

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def session(village: Village, official: Person) -> Session:
    return make_session(representatives_meeting(village), state=SessionState.OPEN, chair=official)


def order(session: Session) -> list[str]:
    return [item.title for item in AgendaItem.objects.filter(session=session).order_by("position", "id")]


def test_moves_up_and_down(session: Session, actor: User) -> None:
    add_item(session, title="一")
    two = add_item(session, title="二")
    add_item(session, title="三")
    agenda_item_move(actor=actor, item=two, direction="up")
    assert order(session) == ["二", "一", "三"]
    agenda_item_move(actor=actor, item=two, direction="down")
    agenda_item_move(actor=actor, item=two, direction="down")
    assert order(session) == ["一", "三", "二"]


def test_equal_positions_still_swap(session: Session, actor: User) -> None:
    one = add_item(session, title="一")
    two = add_item(session, title="二")
    AgendaItem.objects.filter(pk=two.pk).update(position=one.position)
    agenda_item_move(actor=actor, item=two, direction="up")
    assert order(session) == ["二", "一"]


@pytest.mark.parametrize(("index", "direction", "message"), [(0, "up", "first"), (1, "down", "last")])
def test_refused_past_the_ends(
    session: Session, actor: User, index: int, direction: str, message: str
) -> None:
    items = [add_item(session, title="一"), add_item(session, title="二")]
    with pytest.raises(ValidationError, match=message):
        agenda_item_move(actor=actor, item=items[index], direction=direction)


def test_refused_before_an_item_taken_up_or_for_one(session: Session, actor: User) -> None:
    done = add_item(session, title="一", state=ItemState.DONE)
    pending = add_item(session, title="二")
    with pytest.raises(ValidationError, match="already taken up"):
        agenda_item_move(actor=actor, item=pending, direction="up")
    with pytest.raises(ValidationError, match="not yet taken up"):
        agenda_item_move(actor=actor, item=done, direction="down")
    with pytest.raises(ValidationError, match="up or down"):
        agenda_item_move(actor=actor, item=pending, direction="sideways")
    assert order(session) == ["一", "二"]


def test_page_moves_and_refuses_with_400(session: Session, official_client: Client) -> None:
    add_item(session, title="一")
    two = add_item(session, title="二")
    url = item_url("agenda_item_move", two)
    assert official_client.get(url).status_code == 405
    assert official_client.post(url, {"direction": "up"}).status_code == 302
    assert order(session) == ["二", "一"]
    assert official_client.post(url, {"direction": "up"}).status_code == 400
    assert official_client.post(url, {"direction": "9" * 30}).status_code == 400
    assert order(session) == ["二", "一"]


def test_who_may_move(
    session: Session, resident_client: Client, outsider_client: Client, client: Client
) -> None:
    add_item(session, title="一")
    two = add_item(session, title="二")
    refused_everywhere(
        item_url("agenda_item_move", two),
        resident=resident_client,
        outsider=outsider_client,
        anonymous=client,
        data={"direction": "up"},
    )
    assert order(session) == ["一", "二"]
