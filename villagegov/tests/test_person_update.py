"""Editing a person's data: the service and the page."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from villagegov.models import AuditRecord, Household, Person, Role, User, Village
from villagegov.services.roster import person_update
from villagegov.testing import client_for, make_person

pytestmark = pytest.mark.usefixtures("english")


def _url(person: Person) -> str:
    return reverse("person_update", args=[person.village.admin_code, person.pk])


def _form(person: Person, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": person.name,
        "gender": person.gender,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "phone": person.phone,
        "household": person.household_id or "",
        "joined_on": person.joined_on.isoformat(),
    }
    if person.is_registered_resident:
        data["is_registered_resident"] = "on"
    return data | changes


def test_service_updates_and_audits_before_after(village: Village, actor: User) -> None:
    person = make_person(village, name="旧名")
    person_update(actor=actor, person=person, name="新名", phone="13700000000")
    person.refresh_from_db()
    assert (person.name, person.phone) == ("新名", "13700000000")
    record = AuditRecord.objects.get(action="person.update")
    assert record.before is not None and record.after is not None
    assert (record.before["name"], record.after["name"]) == ("旧名", "新名")


def test_service_without_changes_writes_nothing(village: Village, actor: User) -> None:
    person = make_person(village, name="旧名")
    person_update(actor=actor, person=person, name="旧名")
    assert not AuditRecord.objects.filter(action="person.update").exists()


def test_service_refuses_fields_that_are_not_editable(village: Village, actor: User) -> None:
    person = make_person(village)
    with pytest.raises(TypeError):
        person_update(actor=actor, person=person, left_on=date(2020, 1, 1))


def test_service_refuses_moving_a_household_head(village: Village, actor: User) -> None:
    home = Household.objects.create(village=village, number="001")
    person = make_person(village)
    person.household = home
    person.save()
    home.head = person
    home.save()
    with pytest.raises(ValidationError, match="head"):
        person_update(actor=actor, person=person, household=None)
    person.refresh_from_db()
    assert person.household == home


def test_service_refuses_joining_after_leaving(village: Village, actor: User) -> None:
    person = make_person(village)
    Person.objects.filter(pk=person.pk).update(left_on=date(2010, 1, 1), left_reason="x")
    person.refresh_from_db()
    with pytest.raises(ValidationError, match="after they left"):
        person_update(actor=actor, person=person, joined_on=date(2015, 1, 1))


def test_page_updates(village: Village, official_client: Client) -> None:
    person = make_person(village, name="旧名")
    assert official_client.get(_url(person)).status_code == 200
    response = official_client.post(_url(person), _form(person, name="新名", birth_date="1960-06-06"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "新名"
    assert person.birth_date == date(1960, 6, 6)


def test_page_bad_input_changes_nothing(village: Village, official_client: Client) -> None:
    person = make_person(village, name="旧名")
    response = official_client.post(_url(person), _form(person, name="新名", joined_on="not a date"))
    assert response.status_code == 400
    assert b"errorlist" in response.content
    person.refresh_from_db()
    assert person.name == "旧名"
    assert not AuditRecord.objects.filter(action="person.update").exists()


def test_page_refuses_household_of_another_village(
    village: Village, other_village: Village, official_client: Client
) -> None:
    person = make_person(village)
    elsewhere = Household.objects.create(village=other_village, number="001")
    response = official_client.post(_url(person), _form(person, household=elsewhere.pk))
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.household is None


def test_access(
    village: Village,
    other_village: Village,
    official_client: Client,
    resident_client: Client,
    outsider_client: Client,
    client: Client,
) -> None:
    person = make_person(village)
    assert resident_client.get(_url(person)).status_code == 403
    assert outsider_client.get(_url(person)).status_code == 404
    assert client.get(_url(person)).status_code == 302
    supervisor = make_person(village, roles=(Role.SUPERVISOR,), with_account=True)
    assert client_for(supervisor).post(_url(person), _form(person, name="x")).status_code == 403
    stranger = make_person(other_village)
    url = reverse("person_update", args=[village.admin_code, stranger.pk])
    assert official_client.post(url, _form(stranger, name="x")).status_code == 404
    assert not Person.objects.filter(name="x").exists()
