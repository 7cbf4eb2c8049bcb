"""Adding a household: the service and the page."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from villagegov.models import (
    AuditRecord,
    Household,
    Role,
    User,
    Village,
    VillagerGroup,
)
from villagegov.services.roster import household_create
from villagegov.testing import client_for, make_person, make_village

pytestmark = pytest.mark.usefixtures("english")


def _url(village: Village) -> str:
    return reverse("household_create", args=[village.admin_code])


def test_service_creates_with_audit(village: Village, actor: User) -> None:
    group = VillagerGroup.objects.create(village=village, number=1, name="一组")
    household = household_create(
        actor=actor, village=village, number=" 0101 ", group=group, address="东街1号"
    )
    assert (household.number, household.group, household.address, household.head) == (
        "0101",
        group,
        "东街1号",
        None,
    )
    assert AuditRecord.objects.filter(action="household.create", target_id=str(household.pk)).exists()


def test_service_refuses_group_of_another_village_and_duplicates(village: Village, actor: User) -> None:
    elsewhere = VillagerGroup.objects.create(village=make_village(), number=1, name="一组")
    with pytest.raises(ValidationError, match="group is not in this village"):
        household_create(actor=actor, village=village, number="0101", group=elsewhere)
    household_create(actor=actor, village=village, number="0101", group=None)
    with pytest.raises(ValidationError, match="already has a household number 0101"):
        household_create(actor=actor, village=village, number="0101", group=None)
    assert Household.objects.count() == 1


def test_page_creates(village: Village, official_client: Client) -> None:
    group = VillagerGroup.objects.create(village=village, number=1, name="一组")
    assert official_client.get(_url(village)).status_code == 200
    response = official_client.post(_url(village), {"number": "0102", "group": group.pk, "address": "西街"})
    household = Household.objects.get(village=village, number="0102")
    assert response.status_code == 302
    assert response["Location"] == reverse("household_detail", args=[village.admin_code, household.pk])
    assert household.group == group


@pytest.mark.parametrize("data", [{"number": ""}, {"number": "x" * 31}, {"number": "1", "group": "abc"}])
def test_page_bad_input_changes_nothing(village: Village, official_client: Client, data: dict) -> None:
    response = official_client.post(_url(village), data)
    assert response.status_code == 400
    assert b"errorlist" in response.content
    assert not Household.objects.exists()


def test_page_refuses_group_of_another_village(
    village: Village, other_village: Village, official_client: Client
) -> None:
    elsewhere = VillagerGroup.objects.create(village=other_village, number=1, name="一组")
    response = official_client.post(_url(village), {"number": "0101", "group": elsewhere.pk})
    assert response.status_code == 400
    assert not Household.objects.exists()


def test_access(village: Village, resident_client: Client, outsider_client: Client, client: Client) -> None:
    data = {"number": "0101"}
    assert resident_client.get(_url(village)).status_code == 403
    assert resident_client.post(_url(village), data).status_code == 403
    viewer = client_for(make_person(village, roles=(Role.TOWNSHIP_STAFF,), with_account=True))
    assert viewer.get(_url(village)).status_code == 403
    assert outsider_client.post(_url(village), data).status_code == 404
    assert client.post(_url(village), data).status_code == 302
    assert not Household.objects.exists()
