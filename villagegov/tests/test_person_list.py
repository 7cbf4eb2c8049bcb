"""The roster list: search by name or phone, filter by group and role, 50 a page."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from villagegov.models import (
    Household,
    Person,
    Role,
    Village,
    VillagerGroup,
)
from villagegov.testing import client_for, make_person, make_village

pytestmark = pytest.mark.usefixtures("english")


def _url(village: Village) -> str:
    return reverse("person_list", args=[village.admin_code])


def _names(client: Client, village: Village, **params: str) -> set[str]:
    response = client.get(_url(village), params)
    assert response.status_code == 200
    return {person.name for person in response.context["page_obj"]}


@pytest.fixture
def roster(village: Village, official: Person) -> dict[str, Person]:
    group = VillagerGroup.objects.create(village=village, number=1, name="一组")
    home = Household.objects.create(village=village, number="0101", group=group)
    people = {
        "grouped": make_person(village, name="张一", roles=(Role.REPRESENTATIVE,)),
        "phone": make_person(village, name="张二"),
        "left": make_person(village, name="张三"),
    }
    Person.objects.filter(pk=people["grouped"].pk).update(household=home)
    Person.objects.filter(pk=people["phone"].pk).update(phone="13912345678")
    Person.objects.filter(pk=people["left"].pk).update(left_on=date(2024, 1, 1), left_reason="death")
    make_person(make_village(), name="张外村")
    return people


def test_search_by_name_and_phone(
    village: Village, official_client: Client, roster: dict[str, Person]
) -> None:
    assert _names(official_client, village, q="张") == {"张一", "张二"}
    assert _names(official_client, village, q="1234") == {"张二"}
    assert _names(official_client, village, q="张", include_left="on") == {"张一", "张二", "张三"}


def test_filter_by_group_and_role(
    village: Village, official_client: Client, roster: dict[str, Person]
) -> None:
    group = VillagerGroup.objects.get(village=village)
    assert _names(official_client, village, group=str(group.pk)) == {"张一"}
    assert _names(official_client, village, role="representative") == {"张一"}
    assert _names(official_client, village, role="committee_member") == {"陈主任"}


def test_shows_count_phone_and_current_roles(
    village: Village, official_client: Client, roster: dict[str, Person]
) -> None:
    page = official_client.get(_url(village)).content.decode()
    assert "3 people found" in page
    assert "13912345678" in page
    assert "villager representative" in page
    assert "张外村" not in page
    assert "Add a person" in page


def test_paginates_by_fifty(village: Village, official_client: Client) -> None:
    Person.objects.bulk_create(
        [
            Person(village=village, name=f"村民{n:03d}", gender="F", joined_on=date(2000, 1, 1))
            for n in range(60)
        ]
    )
    first = official_client.get(_url(village)).context["page_obj"]
    assert (first.paginator.count, len(first.object_list)) == (61, 50)
    second = official_client.get(_url(village), {"page": "2"}).context["page_obj"]
    assert len(second.object_list) == 11
    assert official_client.get(_url(village), {"page": "9999"}).status_code == 200


def test_no_query_per_person(
    village: Village, official_client: Client, django_assert_max_num_queries: object
) -> None:
    group = VillagerGroup.objects.create(village=village, number=1, name="一组")
    for n in range(20):
        home = Household.objects.create(village=village, number=f"{n:04d}", group=group)
        person = make_person(village, roles=(Role.REPRESENTATIVE, Role.COLLECTIVE_MEMBER))
        Person.objects.filter(pk=person.pk).update(household=home)
    official_client.get(_url(village))
    with django_assert_max_num_queries(15):  # type: ignore[operator]
        official_client.get(_url(village))


@pytest.mark.parametrize("params", [{"group": "abc"}, {"role": "king"}, {"group": "99999999999999999999999"}])
def test_bad_filters_are_explained(village: Village, official_client: Client, params: dict[str, str]) -> None:
    response = official_client.get(_url(village), params)
    assert response.status_code == 400
    assert b"errorlist" in response.content


def test_group_of_another_village_is_not_a_filter(
    village: Village, other_village: Village, official_client: Client
) -> None:
    elsewhere = VillagerGroup.objects.create(village=other_village, number=1, name="一组")
    assert official_client.get(_url(village), {"group": elsewhere.pk}).status_code == 400


def test_viewer_sees_no_add_button(village: Village) -> None:
    viewer = client_for(make_person(village, roles=(Role.SUPERVISOR,), with_account=True))
    response = viewer.get(_url(village))
    assert response.status_code == 200
    assert "Add a person" not in response.content.decode()


def test_access(village: Village, resident_client: Client, outsider_client: Client, client: Client) -> None:
    assert resident_client.get(_url(village)).status_code == 403
    assert outsider_client.get(_url(village)).status_code == 404
    assert client.get(_url(village)).status_code == 302
