"""A person's roster page: personal data, roles, kinship, and the forms for managers."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from villagegov.models import (
    Body,
    Council,
    CouncilSeat,
    Household,
    Kinship,
    Person,
    Relation,
    Role,
    RoleAssignment,
    SeatPosition,
    Village,
)
from villagegov.testing import client_for, make_person

pytestmark = pytest.mark.usefixtures("english")


def _url(person: Person) -> str:
    return reverse("person_detail", args=[person.village.admin_code, person.pk])


def test_shows_personal_data_roles_and_kin(village: Village, official_client: Client) -> None:
    home = Household.objects.create(village=village, number="H-17")
    person = make_person(village, name="赵六", birth_date=date(1955, 7, 1))
    Person.objects.filter(pk=person.pk).update(phone="13811112222", household=home)
    RoleAssignment.objects.create(
        person=person, role=Role.CLERK, starts_on=date(2010, 1, 1), ends_on=date(2014, 1, 1)
    )
    RoleAssignment.objects.create(person=person, role=Role.REPRESENTATIVE, starts_on=date(2021, 1, 1))
    son = make_person(village, name="赵小六")
    Kinship.objects.create(person=person, relative=son, relation=Relation.CHILD)
    Kinship.objects.create(person=son, relative=person, relation=Relation.PARENT)
    page = official_client.get(_url(person)).content.decode()
    for text in ["赵六", "13811112222", "H-17", "赵小六", "villager representative", "clerk", "End the term"]:
        assert text in page, text
    assert "Assign a role" in page
    assert "Record the leaving" in page


def test_lists_council_seats_with_their_terms(village: Village, official_client: Client) -> None:
    person = make_person(village, name="钱七", roles=(Role.COMMITTEE_MEMBER,))  # since 2020-01-01
    board = Council.objects.create(village=village, body=Body.BOARD, name="联合社理事会")
    CouncilSeat.objects.create(
        council=board,
        person=person,
        position=SeatPosition.VICE_CHAIR,
        starts_on=date(2015, 1, 1),
        ends_on=date(2019, 12, 31),
        note="分管财务",
    )
    response = official_client.get(_url(person))
    [current] = response.context["current_seats"]
    [past] = response.context["other_seats"]
    assert (current.council.name, past.council.name) == ("村民委员会", "联合社理事会")
    page = response.content.decode()
    for text in ["Council seats", "村民委员会", "no end set", "联合社理事会", "vice chair", "分管财务"]:
        assert text in page, text
    assert reverse("council_detail", args=[village.admin_code, board.pk]) in page


def test_viewer_sees_data_but_no_forms(village: Village) -> None:
    supervisor = make_person(village, roles=(Role.SUPERVISOR,), with_account=True)
    person = make_person(village, name="赵六")
    response = client_for(supervisor).get(_url(person))
    assert response.status_code == 200
    page = response.content.decode()
    assert "赵六" in page
    assert "Assign a role" not in page
    assert "Record the leaving" not in page


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
    stranger = make_person(other_village)
    assert (
        official_client.get(reverse("person_detail", args=[village.admin_code, stranger.pk])).status_code
        == 404
    )


def test_official_can_issue_an_invitation_here(village: Village, official_client: Client) -> None:
    person = make_person(village)
    page = official_client.get(_url(person)).content.decode()
    assert reverse("invitation_issue", args=[village.admin_code, person.pk]) in page
