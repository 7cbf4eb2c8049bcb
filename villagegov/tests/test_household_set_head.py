"""Setting a household's head: the service and the form on the household's page."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from villagegov.models import (
    AuditRecord,
    Household,
    Person,
    User,
    Village,
)
from villagegov.services.roster import household_set_head
from villagegov.testing import make_person, make_village

pytestmark = pytest.mark.usefixtures("english")


def _url(household: Household) -> str:
    return reverse("household_set_head", args=[household.village.admin_code, household.pk])


def _member(household: Household, **kwargs: object) -> Person:
    person = make_person(household.village)
    Person.objects.filter(pk=person.pk).update(household=household, **kwargs)
    person.refresh_from_db()
    return person


def test_service_sets_head_with_audit(village: Village, actor: User) -> None:
    home = Household.objects.create(village=village, number="0101")
    first, second = _member(home), _member(home)
    household_set_head(actor=actor, household=home, head=first)
    household_set_head(actor=actor, household=home, head=second)
    home.refresh_from_db()
    assert home.head == second
    record = AuditRecord.objects.filter(action="household.set_head").last()
    assert record is not None and record.before is not None and record.after is not None
    assert (record.before["head_id"], record.after["head_id"]) == (first.pk, second.pk)


def test_service_refuses_non_members(village: Village, actor: User) -> None:
    home = Household.objects.create(village=village, number="0101")
    neighbour = _member(Household.objects.create(village=village, number="0102"))
    former = _member(home, left_on=date(2024, 1, 1))
    stranger = make_person(make_village())
    for person in [neighbour, former, stranger, make_person(village)]:
        with pytest.raises(ValidationError, match="not a current member"):
            household_set_head(actor=actor, household=home, head=person)
    home.refresh_from_db()
    assert home.head is None


def test_page_sets_head(village: Village, official_client: Client) -> None:
    home = Household.objects.create(village=village, number="0101")
    member = _member(home)
    response = official_client.post(_url(home), {"head": member.pk})
    assert response.status_code == 302
    home.refresh_from_db()
    assert home.head == member


@pytest.mark.parametrize("head", ["", "abc", "99999999999999999999", "-1"])
def test_page_bad_input_changes_nothing(village: Village, official_client: Client, head: str) -> None:
    home = Household.objects.create(village=village, number="0101")
    _member(home)
    response = official_client.post(_url(home), {"head": head})
    assert response.status_code == 400
    assert b"errorlist" in response.content
    home.refresh_from_db()
    assert home.head is None


def test_page_refuses_people_outside_the_household(
    village: Village, other_village: Village, official_client: Client
) -> None:
    home = Household.objects.create(village=village, number="0101")
    _member(home)
    for person in [make_person(village), make_person(other_village)]:
        assert official_client.post(_url(home), {"head": person.pk}).status_code == 400
    home.refresh_from_db()
    assert home.head is None


def test_access(
    village: Village,
    other_village: Village,
    official_client: Client,
    resident_client: Client,
    outsider_client: Client,
    client: Client,
) -> None:
    home = Household.objects.create(village=village, number="0101")
    data = {"head": _member(home).pk}
    assert resident_client.post(_url(home), data).status_code == 403
    assert outsider_client.post(_url(home), data).status_code == 404
    assert client.post(_url(home), data).status_code == 302
    assert official_client.get(_url(home)).status_code == 405
    elsewhere = Household.objects.create(village=other_village, number="0101")
    url = reverse("household_set_head", args=[village.admin_code, elsewhere.pk])
    assert official_client.post(url, {"head": _member(elsewhere).pk}).status_code == 404
    assert not Household.objects.filter(head__isnull=False).exists()
