"""Villager groups: the service that creates one and the page that lists and adds them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from villagegov.models import (
    AuditRecord,
    Household,
    Person,
    Role,
    User,
    Village,
    VillagerGroup,
)
from villagegov.services.roster import group_create
from villagegov.testing import client_for, make_person, make_village

pytestmark = pytest.mark.usefixtures("english")


def _url(village: Village) -> str:
    return reverse("group_list", args=[village.admin_code])


def test_service_creates_with_audit(village: Village, actor: User) -> None:
    group = group_create(actor=actor, village=village, number=3, name=" 第三组 ")
    assert (group.village, group.number, group.name) == (village, 3, "第三组")
    assert AuditRecord.objects.filter(action="group.create", target_id=str(group.pk)).exists()


@pytest.mark.parametrize(
    ("number", "name", "message"), [(0, "x", "between"), (40000, "x", "between"), (1, " ", "name")]
)
def test_service_refuses_bad_values(
    village: Village, actor: User, number: int, name: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        group_create(actor=actor, village=village, number=number, name=name)
    assert not VillagerGroup.objects.exists()


def test_service_refuses_a_number_in_use_but_not_in_another_village(village: Village, actor: User) -> None:
    group_create(actor=actor, village=village, number=1, name="一组")
    with pytest.raises(ValidationError, match="already has a group number 1"):
        group_create(actor=actor, village=village, number=1, name="又一组")
    group_create(actor=actor, village=make_village(), number=1, name="一组")
    assert VillagerGroup.objects.count() == 2


def test_page_lists_groups_with_counts(village: Village, official_client: Client) -> None:
    group = VillagerGroup.objects.create(village=village, number=2, name="二组")
    for number in ["A", "B"]:
        home = Household.objects.create(village=village, number=number, group=group)
        Person.objects.filter(pk=make_person(village).pk).update(household=home)
    gone = make_person(village)
    Person.objects.filter(pk=gone.pk).update(household=home, left_on=date(2024, 1, 1), left_reason="x")
    response = official_client.get(_url(village))
    assert response.status_code == 200
    groups = list(response.context["groups"])
    assert [(g.name, g.household_count, g.people_count) for g in groups] == [("二组", 2, 2)]


def test_page_adds_a_group(village: Village, official_client: Client) -> None:
    response = official_client.post(_url(village), {"number": "5", "name": "五组"})
    assert response.status_code == 302
    assert VillagerGroup.objects.filter(village=village, number=5, name="五组").exists()


@pytest.mark.parametrize("data", [{"number": "abc", "name": "x"}, {"number": "99999999999999", "name": "x"}])
def test_page_bad_input_changes_nothing(village: Village, official_client: Client, data: dict) -> None:
    response = official_client.post(_url(village), data)
    assert response.status_code == 400
    assert b"errorlist" in response.content
    assert not VillagerGroup.objects.exists()


def test_page_shows_duplicate_number(village: Village, official_client: Client) -> None:
    VillagerGroup.objects.create(village=village, number=1, name="一组")
    response = official_client.post(_url(village), {"number": "1", "name": "又一组"})
    assert response.status_code == 400
    assert "already has a group number 1" in response.content.decode()
    assert VillagerGroup.objects.count() == 1


def test_access(village: Village, resident_client: Client, outsider_client: Client, client: Client) -> None:
    data = {"number": "5", "name": "五组"}
    assert resident_client.get(_url(village)).status_code == 403
    assert resident_client.post(_url(village), data).status_code == 403
    viewer = client_for(make_person(village, roles=(Role.ACCOUNTANT,), with_account=True))
    assert viewer.get(_url(village)).status_code == 200
    assert viewer.post(_url(village), data).status_code == 403
    assert outsider_client.get(_url(village)).status_code == 404
    assert outsider_client.post(_url(village), data).status_code == 404
    assert client.get(_url(village)).status_code == 302
    assert not VillagerGroup.objects.exists()
