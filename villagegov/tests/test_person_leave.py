"""Taking a person off the roster: the service and the form on the person's page."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from villagegov.models import (
    AuditRecord,
    Body,
    Council,
    CouncilSeat,
    Household,
    Person,
    Role,
    RoleAssignment,
    User,
    Village,
)
from villagegov.permissions import roles_of_person
from villagegov.services.roster import person_leave
from villagegov.testing import TOMORROW, make_person, on_run

pytestmark = pytest.mark.usefixtures("english")


def _url(person: Person) -> str:
    return reverse("person_leave", args=[person.village.admin_code, person.pk])


def test_service_records_leaving_and_ends_open_terms(village: Village, actor: User) -> None:
    person = make_person(village)
    open_term = RoleAssignment.objects.create(
        person=person, role=Role.REPRESENTATIVE, starts_on=date(2021, 1, 1)
    )
    later_end = RoleAssignment.objects.create(
        person=person, role=Role.CLERK, starts_on=date(2021, 1, 1), ends_on=date(2030, 1, 1)
    )
    past = RoleAssignment.objects.create(
        person=person, role=Role.ACCOUNTANT, starts_on=date(2010, 1, 1), ends_on=date(2012, 1, 1)
    )
    person_leave(actor=actor, person=person, left_on=date(2024, 5, 6), reason="death")
    person.refresh_from_db()
    assert (person.left_on, person.left_reason) == (date(2024, 5, 6), "death")
    for term, expected in [
        (open_term, date(2024, 5, 6)),
        (later_end, date(2024, 5, 6)),
        (past, date(2012, 1, 1)),
    ]:
        term.refresh_from_db()
        assert term.ends_on == expected
    assert AuditRecord.objects.filter(action="role.end").count() == 2
    assert AuditRecord.objects.filter(action="person.leave", target_id=str(person.pk)).exists()


def test_service_ends_open_council_seats(village: Village, actor: User) -> None:
    person = make_person(village, roles=(Role.COMMITTEE_MEMBER,))  # seat since 2020-01-01
    board = Council.objects.create(village=village, body=Body.BOARD, name="理事会")
    planned_end = CouncilSeat.objects.create(
        council=board, person=person, starts_on=date(2021, 1, 1), ends_on=date(2030, 1, 1)
    )
    past = CouncilSeat.objects.create(
        council=board, person=person, starts_on=date(2015, 1, 1), ends_on=date(2016, 1, 1)
    )
    person_leave(actor=actor, person=person, left_on=date(2024, 5, 6), reason="moved away")
    committee_seat = CouncilSeat.objects.get(person=person, council__body=Body.VILLAGE_COMMITTEE)
    assert committee_seat.ends_on == date(2024, 5, 6)
    planned_end.refresh_from_db()
    past.refresh_from_db()
    assert (planned_end.ends_on, past.ends_on) == (date(2024, 5, 6), date(2016, 1, 1))
    ended = AuditRecord.objects.filter(action="council.seat_end")
    assert {record.target_id for record in ended} == {str(committee_seat.pk), str(planned_end.pk)}
    assert Role.COMMITTEE_MEMBER not in roles_of_person(person, on=date(2024, 5, 7))


def test_service_refuses_a_date_before_a_seat_began(village: Village, actor: User) -> None:
    person = make_person(village)
    board = Council.objects.create(village=village, body=Body.BOARD, name="理事会")
    CouncilSeat.objects.create(council=board, person=person, starts_on=date(2023, 1, 1))
    with pytest.raises(ValidationError, match="start of their seat on 理事会"):
        person_leave(actor=actor, person=person, left_on=date(2022, 1, 1), reason="death")
    person.refresh_from_db()
    assert person.left_on is None


def test_service_refuses_household_head_until_another_is_set(village: Village, actor: User) -> None:
    home = Household.objects.create(village=village, number="008")
    person = make_person(village)
    Person.objects.filter(pk=person.pk).update(household=home)
    home.head = person
    home.save()
    with pytest.raises(ValidationError, match="head of household 008"):
        person_leave(actor=actor, person=person, left_on=date(2024, 1, 1), reason="moved away")
    person.refresh_from_db()
    assert person.left_on is None


@pytest.mark.parametrize(
    ("left_on", "reason", "message"),
    [
        (TOMORROW, "death", "future"),
        (date(1999, 12, 31), "death", "before the person joined"),
        (date(2024, 1, 1), "  ", "reason"),
        (date(2019, 1, 1), "death", "before the start of their term"),
    ],
)
def test_service_refuses_bad_dates(
    village: Village, actor: User, left_on: date | str, reason: str, message: str
) -> None:
    person = make_person(village, roles=(Role.CLERK,))  # term from 2020-01-01
    with pytest.raises(ValidationError, match=message):
        person_leave(actor=actor, person=person, left_on=on_run(left_on), reason=reason)
    person.refresh_from_db()
    assert person.left_on is None


def test_service_refuses_leaving_twice(village: Village, actor: User) -> None:
    person = make_person(village)
    person_leave(actor=actor, person=person, left_on=date(2024, 1, 1), reason="death")
    with pytest.raises(ValidationError, match="already left"):
        person_leave(actor=actor, person=person, left_on=date(2024, 2, 1), reason="death")


def test_page_records_reason_choice_and_details(village: Village, official_client: Client) -> None:
    person = make_person(village, roles=(Role.REPRESENTATIVE,))
    response = official_client.post(
        _url(person), {"left_on": "2024-03-01", "reason": "married_out", "details": "to 寮步"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.left_on == date(2024, 3, 1)
    assert person.left_reason == "Married out of the village: to 寮步"
    assert RoleAssignment.objects.get(person=person).ends_on == date(2024, 3, 1)


@pytest.mark.parametrize(
    "data",
    [
        {"left_on": "2024-02-30", "reason": "death"},
        {"left_on": "2024-02-01", "reason": "nonsense"},
        {"left_on": "2024-02-01", "reason": "other", "details": ""},
        {"left_on": "1999-01-01", "reason": "death"},
    ],
)
def test_page_bad_input_changes_nothing(village: Village, official_client: Client, data: dict) -> None:
    person = make_person(village)
    response = official_client.post(_url(person), data)
    assert response.status_code == 400
    assert b"errorlist" in response.content
    person.refresh_from_db()
    assert person.left_on is None
    assert not AuditRecord.objects.filter(action="person.leave").exists()


def test_access(
    village: Village,
    other_village: Village,
    official_client: Client,
    resident_client: Client,
    outsider_client: Client,
    client: Client,
) -> None:
    person = make_person(village)
    data = {"left_on": "2024-03-01", "reason": "death"}
    assert resident_client.post(_url(person), data).status_code == 403
    assert outsider_client.post(_url(person), data).status_code == 404
    assert client.post(_url(person), data).status_code == 302
    assert official_client.get(_url(person)).status_code == 405
    stranger = make_person(other_village)
    url = reverse("person_leave", args=[village.admin_code, stranger.pk])
    assert official_client.post(url, data).status_code == 404
    assert not Person.objects.filter(left_on__isnull=False).exists()
