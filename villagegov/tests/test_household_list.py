"""The households list: by group, with head and member count, paginated."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from villagegov.models import (
    Household,
    Person,
    Village,
    VillagerGroup,
)
from villagegov.testing import make_person

pytestmark = pytest.mark.usefixtures("english")


def _url(village: Village) -> str:
    return reverse("household_list", args=[village.admin_code])


def test_lists_with_head_and_member_count(village: Village, official_client: Client) -> None:
    group = VillagerGroup.objects.create(village=village, number=1, name="一组")
    home = Household.objects.create(village=village, number="0101", group=group)
    head = make_person(village, name="户主甲")
    Person.objects.filter(pk=head.pk).update(household=home)
    Person.objects.filter(pk=make_person(village).pk).update(household=home)
    Person.objects.filter(pk=make_person(village).pk).update(household=home, left_on=date(2024, 1, 1))
    home.head = head
    home.save()
    Household.objects.create(village=village, number="0201")
    response = official_client.get(_url(village))
    assert response.status_code == 200
    rows = [(h.number, h.head.name if h.head else None, h.member_count) for h in response.context["page_obj"]]
    assert rows == [("0101", "户主甲", 2), ("0201", None, 0)]
    assert "户主甲" in response.content.decode()


def test_filters_by_group_and_paginates(village: Village, official_client: Client) -> None:
    group = VillagerGroup.objects.create(village=village, number=1, name="一组")
    Household.objects.bulk_create(
        [Household(village=village, number=f"{n:04d}", group=group) for n in range(60)]
        + [Household(village=village, number="other")]
    )
    page = official_client.get(_url(village), {"group": group.pk}).context["page_obj"]
    assert page.paginator.count == 60
    assert len(page.object_list) == 50
    page2 = official_client.get(_url(village), {"group": str(group.pk), "page": "2"}).context["page_obj"]
    assert len(page2.object_list) == 10
    assert official_client.get(_url(village), {"page": "abc", "group": "x"}).status_code == 200


def test_no_query_per_household(
    village: Village, official_client: Client, django_assert_max_num_queries: object
) -> None:
    group = VillagerGroup.objects.create(village=village, number=1, name="一组")
    for n in range(20):
        home = Household.objects.create(village=village, number=f"{n:04d}", group=group)
        person = make_person(village)
        Person.objects.filter(pk=person.pk).update(household=home)
        home.head = person
        home.save()
    official_client.get(_url(village))  # warm the session and the permission lookups
    with django_assert_max_num_queries(15):  # type: ignore[operator]
        official_client.get(_url(village))


def test_other_village_not_listed(village: Village, other_village: Village, official_client: Client) -> None:
    Household.objects.create(village=other_village, number="secret-0101")
    assert "secret-0101" not in official_client.get(_url(village)).content.decode()


def test_access(village: Village, resident_client: Client, outsider_client: Client, client: Client) -> None:
    assert resident_client.get(_url(village)).status_code == 403
    assert outsider_client.get(_url(village)).status_code == 404
    assert client.get(_url(village)).status_code == 302
