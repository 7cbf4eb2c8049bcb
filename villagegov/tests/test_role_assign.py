"""Assigning a role with a term: the service and the form on the person's page."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from villagegov.models import (
    AuditRecord,
    Person,
    Role,
    RoleAssignment,
    User,
    Village,
)
from villagegov.services.roster import role_assign
from villagegov.testing import client_for, make_person

pytestmark = pytest.mark.usefixtures("english")


def _url(person: Person) -> str:
    return reverse("role_assign", args=[person.village.admin_code, person.pk])


def test_service_assigns_with_audit(village: Village, actor: User) -> None:
    person = make_person(village)
    term = role_assign(
        actor=actor, person=person, role=Role.REPRESENTATIVE, starts_on=date(2021, 1, 1), note="第3组推选"
    )
    assert (term.person, term.role, term.ends_on, term.note) == (
        person,
        Role.REPRESENTATIVE,
        None,
        "第3组推选",
    )
    record = AuditRecord.objects.get(action="role.assign")
    assert record.target_id == str(term.pk)


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [
        (date(2021, 6, 1), None),  # inside the open term
        (date(2019, 1, 1), date(2021, 1, 1)),  # ends on the first day of the open term
        (date(2019, 1, 1), None),  # covers everything
    ],
)
def test_service_refuses_overlapping_terms(
    village: Village, actor: User, starts_on: date, ends_on: date | None
) -> None:
    person = make_person(village)
    role_assign(actor=actor, person=person, role=Role.CLERK, starts_on=date(2021, 1, 1))
    with pytest.raises(ValidationError, match="overlaps"):
        role_assign(actor=actor, person=person, role=Role.CLERK, starts_on=starts_on, ends_on=ends_on)
    assert RoleAssignment.objects.filter(person=person).count() == 1


def test_service_allows_consecutive_terms_and_other_roles(village: Village, actor: User) -> None:
    person = make_person(village)
    role_assign(
        actor=actor, person=person, role=Role.CLERK, starts_on=date(2015, 1, 1), ends_on=date(2017, 12, 31)
    )
    role_assign(actor=actor, person=person, role=Role.CLERK, starts_on=date(2018, 1, 1))
    role_assign(actor=actor, person=person, role=Role.ACCOUNTANT, starts_on=date(2016, 1, 1))
    assert RoleAssignment.objects.filter(person=person).count() == 3


def test_service_refuses_household_head(village: Village, actor: User) -> None:
    person = make_person(village)
    with pytest.raises(ValidationError, match="household"):
        role_assign(actor=actor, person=person, role=Role.HOUSEHOLD_HEAD, starts_on=date(2021, 1, 1))
    assert not RoleAssignment.objects.filter(person=person).exists()


def test_service_refuses_bad_dates(village: Village, actor: User) -> None:
    person = make_person(village)
    with pytest.raises(ValidationError, match="end before it starts"):
        role_assign(
            actor=actor, person=person, role=Role.CLERK, starts_on=date(2021, 1, 2), ends_on=date(2021, 1, 1)
        )
    with pytest.raises(ValidationError, match="future"):
        role_assign(
            actor=actor, person=person, role=Role.CLERK, starts_on=timezone.localdate() + timedelta(days=1)
        )
    assert not RoleAssignment.objects.filter(person=person).exists()


def test_service_refuses_person_who_left(village: Village, actor: User) -> None:
    person = make_person(village)
    Person.objects.filter(pk=person.pk).update(left_on=date(2022, 1, 1), left_reason="death")
    person.refresh_from_db()
    with pytest.raises(ValidationError, match="left the roster"):
        role_assign(actor=actor, person=person, role=Role.CLERK, starts_on=date(2021, 1, 1))


@pytest.mark.parametrize(
    ("role", "body"),
    [
        (Role.COMMITTEE_MEMBER, "village committee"),
        (Role.SUPERVISOR, "village-affairs supervision committee"),
    ],
)
def test_service_refuses_roles_held_by_a_council_seat(
    village: Village, actor: User, role: Role, body: str
) -> None:
    person = make_person(village)
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match=f"council page, with a seat on the {body}"),
    ):
        role_assign(actor=actor, person=person, role=role, starts_on=date(2021, 1, 1))
    assert not RoleAssignment.objects.filter(person=person).exists()


def test_page_offers_no_role_held_by_a_seat(village: Village, official_client: Client) -> None:
    person = make_person(village)
    page = official_client.get(
        reverse("person_detail", args=[village.admin_code, person.pk])
    ).content.decode()
    assert 'value="clerk"' in page
    assert 'value="committee_member"' not in page and 'value="supervisor"' not in page
    response = official_client.post(_url(person), {"role": "supervisor", "starts_on": "2021-01-01"})
    assert response.status_code == 400
    assert not RoleAssignment.objects.filter(person=person).exists()


@pytest.mark.parametrize("role", [Role.ACCOUNTANT, Role.CLERK, Role.COLLECTIVE_HEAD])
def test_service_refuses_offices_a_sitting_supervisor_may_not_hold(
    village: Village, actor: User, role: Role
) -> None:
    supervisor = make_person(village, name="监委李", roles=(Role.SUPERVISOR,))
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="监委李 sits on the supervision committee"),
    ):
        role_assign(actor=actor, person=supervisor, role=role, starts_on=date(2024, 1, 1))
    assert not RoleAssignment.objects.filter(person=supervisor).exists()
    # Before the seat began (2020-01-01) the office was open to them.
    role_assign(
        actor=actor, person=supervisor, role=role, starts_on=date(2015, 1, 1), ends_on=date(2019, 12, 31)
    )


def test_page_assigns(village: Village, official_client: Client) -> None:
    person = make_person(village)
    response = official_client.post(
        _url(person), {"role": "accountant", "starts_on": "2021-01-01", "ends_on": "2026-01-01", "note": ""}
    )
    assert response.status_code == 302
    term = RoleAssignment.objects.get(person=person)
    assert (term.role, term.starts_on, term.ends_on) == (Role.ACCOUNTANT, date(2021, 1, 1), date(2026, 1, 1))


@pytest.mark.parametrize(
    "data",
    [
        {"role": "household_head", "starts_on": "2021-01-01"},
        {"role": "emperor", "starts_on": "2021-01-01"},
        {"role": "clerk", "starts_on": "01/02/2021"},
        {"role": "clerk", "starts_on": "2021-01-01", "ends_on": "2020-01-01"},
        {"role": "clerk", "starts_on": "99999-01-01"},
    ],
)
def test_page_bad_input_changes_nothing(village: Village, official_client: Client, data: dict) -> None:
    person = make_person(village)
    response = official_client.post(_url(person), data)
    assert response.status_code == 400
    assert b"errorlist" in response.content
    assert not RoleAssignment.objects.filter(person=person).exists()


def test_page_shows_overlap(village: Village, official_client: Client) -> None:
    person = make_person(village, roles=(Role.REPRESENTATIVE,))
    response = official_client.post(_url(person), {"role": "representative", "starts_on": "2022-01-01"})
    assert response.status_code == 400
    assert "overlaps their term" in response.content.decode()
    assert RoleAssignment.objects.filter(person=person).count() == 1


def test_access(
    village: Village,
    other_village: Village,
    official_client: Client,
    resident_client: Client,
    outsider_client: Client,
    client: Client,
) -> None:
    person = make_person(village)
    data = {"role": "clerk", "starts_on": "2021-01-01"}
    assert resident_client.post(_url(person), data).status_code == 403
    viewer = make_person(village, roles=(Role.SUPERVISOR,), with_account=True)
    assert client_for(viewer).post(_url(person), data).status_code == 403
    assert outsider_client.post(_url(person), data).status_code == 404
    assert client.post(_url(person), data).status_code == 302
    stranger = make_person(other_village)
    url = reverse("role_assign", args=[village.admin_code, stranger.pk])
    assert official_client.post(url, data).status_code == 404
    assert not RoleAssignment.objects.filter(role=Role.CLERK).exists()
