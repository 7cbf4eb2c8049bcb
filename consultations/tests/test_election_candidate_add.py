"""An election's candidates: people on the village's roster, each once, before it is taken up."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from consultations.models import ElectionCandidate, ElectionItem, ItemState, Session, SessionState
from consultations.services.agenda import election_candidate_add
from consultations.tests.agenda_testing import add_item, item_url, refused_everywhere
from consultations.tests.attendance_testing import make_session, representatives_meeting
from villagegov.models import Person, User, Village
from villagegov.testing import make_person
from villagegov.tests.hostile_testing import in_chinese, refusal_text

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def session(village: Village, official: Person) -> Session:
    return make_session(representatives_meeting(village), state=SessionState.ANNOUNCED, chair=official)


@pytest.fixture
def election(session: Session) -> ElectionItem:
    item = add_item(session, kind="election")
    assert isinstance(item, ElectionItem)
    return item


def test_adds_a_candidate_once(election: ElectionItem, village: Village, actor: User) -> None:
    person = make_person(village, name="张三")
    election_candidate_add(actor=actor, item=election, person=person)
    with pytest.raises(ValidationError, match="already a candidate"):
        election_candidate_add(actor=actor, item=election, person=person)
    assert ElectionCandidate.objects.filter(election=election).count() == 1


def test_refuses_people_not_on_the_roster(
    election: ElectionItem, village: Village, other_village: Village, actor: User
) -> None:
    from datetime import date

    for person in (make_person(other_village), make_person(village, left_on=date(2024, 1, 1))):
        with pytest.raises(ValidationError, match="roster"):
            election_candidate_add(actor=actor, item=election, person=person)
    assert not ElectionCandidate.objects.exists()


def test_refused_once_the_election_is_taken_up(session: Session, village: Village, actor: User) -> None:
    item = add_item(session, kind="election", state=ItemState.CURRENT)
    assert isinstance(item, ElectionItem)
    with pytest.raises(ValidationError, match="before the election"):
        election_candidate_add(actor=actor, item=item, person=make_person(village))


def test_page_picks_by_name_and_number(
    election: ElectionItem, village: Village, official_client: Client
) -> None:
    namesakes = [make_person(village, name="李明"), make_person(village, name="李明")]
    url = item_url("election_candidate_add", election)
    html = official_client.get(item_url("agenda_item_detail", election)).content.decode()
    assert f"李明 (#{namesakes[1].pk})" in html
    response = official_client.post(url, {"candidate": "李明"})
    assert response.status_code == 400 and "Several people" in response.content.decode()
    assert official_client.post(url, {"candidate": f"李明 (#{namesakes[1].pk})"}).status_code == 302
    assert ElectionCandidate.objects.get().person == namesakes[1]


@pytest.mark.parametrize("value", ["", "nobody", "#99999999999999999", "张三 (#1)" * 20])
def test_bad_input_is_400(election: ElectionItem, official_client: Client, value: str) -> None:
    assert (
        official_client.post(item_url("election_candidate_add", election), {"candidate": value}).status_code
        == 400
    )
    assert not ElectionCandidate.objects.exists()


def test_not_an_election_is_404(session: Session, official: Person, official_client: Client) -> None:
    motion = add_item(session, kind="motion")
    response = official_client.post(item_url("election_candidate_add", motion), {"candidate": official.name})
    assert response.status_code == 404


def test_who_may_add(
    election: ElectionItem, official: Person, resident_client: Client, outsider_client: Client, client: Client
) -> None:
    refused_everywhere(
        item_url("election_candidate_add", election),
        resident=resident_client,
        outsider=outsider_client,
        anonymous=client,
        data={"candidate": f"{official.name} (#{official.pk})"},
    )
    assert not ElectionCandidate.objects.exists()


def test_a_candidate_posted_after_the_election_is_taken_up_is_refused_in_chinese(
    session: Session, official: Person, official_client: Client
) -> None:
    item = add_item(session, kind="election", state=ItemState.CURRENT)
    with in_chinese():
        response = official_client.post(
            item_url("election_candidate_add", item), {"candidate": official.name}
        )
    assert response.status_code == 400
    assert "选举开始前才能添加候选人。" in refusal_text(response.content.decode())
    assert not ElectionCandidate.objects.exists()
