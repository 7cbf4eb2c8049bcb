"""The public board and an item's page: anyone reads what was published; objection texts only
for the officials and the objector; another village's items are not found."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from consultations.tests.attendance_testing import make_session, representatives_meeting
from consultations.tests.minutes_testing import make_closed_poll, make_resolution
from supervision.models import DisclosureSection
from supervision.tests.disclosure_testing import make_item, make_objection, user_of
from villagegov.models import Person, Village
from villagegov.testing import client_for, make_person

pytestmark = pytest.mark.usefixtures("english")


def _board(village: Village) -> str:
    return reverse("disclosure_board", args=[village.admin_code])


def _detail(village: Village, pk: int) -> str:
    return reverse("disclosure_detail", args=[village.admin_code, pk])


def test_anonymous_sees_the_sections_with_their_items_newest_first(
    village: Village, official: Person
) -> None:
    old = make_item(village, by=user_of(official), title="旧的招标公示", section=DisclosureSection.BIDS)
    new = make_item(village, by=user_of(official), title="新的招标公示", section=DisclosureSection.BIDS)
    response = Client().get(_board(village))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.index(new.title) < text.index(old.title)
    bids = next(s for s in response.context["sections"] if s.section == DisclosureSection.BIDS)
    assert [i.pk for i in bids.items] == [new.pk, old.pk]
    assert "Nothing published in this section yet." in text


def test_the_resolutions_section_shows_published_resolutions_only(village: Village, official: Person) -> None:
    session = make_session(representatives_meeting(village))
    published = make_resolution(make_closed_poll(session), published_by=user_of(official))
    draft = make_resolution(make_closed_poll(session))
    draft.title = "未公布的决议"
    draft.save()
    text = Client().get(_board(village)).content.decode()
    assert reverse("resolution_detail", args=[village.admin_code, published.pk]) in text
    assert "未公布的决议" not in text


def test_the_board_shows_another_villages_items_nowhere(
    village: Village, other_village: Village, outsider: Person
) -> None:
    foreign = make_item(other_village, by=user_of(outsider), title="寮步村的公示")
    assert "寮步村的公示" not in Client().get(_board(village)).content.decode()
    assert Client().get(_detail(village, foreign.pk)).status_code == 404
    assert Client().get(f"/v/{village.admin_code}/disclosure/{10**20}/").status_code == 404


def test_the_board_summarises_what_is_overdue(village: Village) -> None:
    response = Client().get(_board(village))
    labels = [row.section for row in response.context["overdue"]]
    assert DisclosureSection.GENERAL in labels  # nothing was ever published


def test_an_unknown_village_is_not_found(db: None) -> None:
    assert Client().get(reverse("disclosure_board", args=["000000000000"])).status_code == 404


def test_anonymous_sees_the_count_of_objections_but_not_their_texts(
    village: Village, official: Person, resident: Person
) -> None:
    item = make_item(village, by=user_of(official), period=(date(2024, 1, 1), date(2024, 3, 31)))
    make_objection(item, resident, text="保密的异议内容")
    response = Client().get(_detail(village, item.pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert item.body in text
    assert "1 objection raised." in text
    assert "保密的异议内容" not in text
    assert "李阿婆" not in text


def test_another_resident_sees_no_texts_the_objector_their_own_the_official_all(
    village: Village, official: Person, resident: Person
) -> None:
    item = make_item(village, by=user_of(official))
    neighbour = make_person(village, name="张大伯", with_account=True)
    make_objection(item, resident, text="李阿婆的异议")
    make_objection(item, neighbour, text="张大伯的异议")
    other = make_person(village, name="王大妈", with_account=True)
    assert "的异议" not in client_for(other).get(_detail(village, item.pk)).content.decode()
    own = client_for(resident).get(_detail(village, item.pk)).content.decode()
    assert "李阿婆的异议" in own and "张大伯的异议" not in own
    everything = client_for(official).get(_detail(village, item.pk)).content.decode()
    assert "李阿婆的异议" in everything and "张大伯的异议" in everything
    assert "2 objections raised." in everything


def test_an_official_of_another_village_sees_no_texts(
    village: Village, official: Person, resident: Person, outsider_client: Client
) -> None:
    item = make_item(village, by=user_of(official))
    make_objection(item, resident, text="保密的异议内容")
    response = outsider_client.get(_detail(village, item.pk))
    assert response.status_code == 200
    assert "保密的异议内容" not in response.content.decode()


def test_a_correction_links_both_ways(village: Village, official: Person) -> None:
    original = make_item(village, by=user_of(official), title="原公示", section=DisclosureSection.BIDS)
    correction = make_item(
        village, by=user_of(official), title="更正公示", section=DisclosureSection.BIDS, corrects=original
    )
    assert "更正公示" in Client().get(_detail(village, original.pk)).content.decode()
    assert "原公示" in Client().get(_detail(village, correction.pk)).content.decode()


def test_the_public_pages_refuse_posts(village: Village, official: Person) -> None:
    item = make_item(village, by=user_of(official))
    assert Client().post(_board(village)).status_code == 405
    assert Client().post(_detail(village, item.pk)).status_code == 405
