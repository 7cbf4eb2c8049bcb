"""A household's page: its members and the form to set its head."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from villagegov.models import (
    Household,
    Person,
    Role,
    Village,
)
from villagegov.testing import client_for, make_person

pytestmark = pytest.mark.usefixtures("english")


def _url(household: Household) -> str:
    return reverse("household_detail", args=[household.village.admin_code, household.pk])


def test_shows_members_and_former_members(village: Village, official_client: Client) -> None:
    home = Household.objects.create(village=village, number="0101", address="东街1号")
    Person.objects.filter(pk=make_person(village, name="现成员").pk).update(household=home)
    Person.objects.filter(pk=make_person(village, name="旧成员").pk).update(
        household=home, left_on=date(2024, 1, 1)
    )
    response = official_client.get(_url(home))
    assert response.status_code == 200
    assert [m.name for m in response.context["members"]] == ["现成员"]
    assert [m.name for m in response.context["former_members"]] == ["旧成员"]
    page = response.content.decode()
    assert "东街1号" in page
    assert "Set as head" in page


def test_viewer_sees_no_form(village: Village) -> None:
    home = Household.objects.create(village=village, number="0101")
    Person.objects.filter(pk=make_person(village).pk).update(household=home)
    viewer = client_for(make_person(village, roles=(Role.SUPERVISOR,), with_account=True))
    response = viewer.get(_url(home))
    assert response.status_code == 200
    assert "Set as head" not in response.content.decode()


def test_access(
    village: Village,
    other_village: Village,
    official_client: Client,
    resident_client: Client,
    outsider_client: Client,
    client: Client,
) -> None:
    home = Household.objects.create(village=village, number="0101")
    assert resident_client.get(_url(home)).status_code == 403
    assert outsider_client.get(_url(home)).status_code == 404
    assert client.get(_url(home)).status_code == 302
    elsewhere = Household.objects.create(village=other_village, number="0101")
    url = reverse("household_detail", args=[village.admin_code, elsewhere.pk])
    assert official_client.get(url).status_code == 404
