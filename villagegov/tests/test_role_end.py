"""Ending a role term: the service and the form beside each open term."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from villagegov.models import (
    AuditRecord,
    Role,
    RoleAssignment,
    User,
    Village,
)
from villagegov.services.roster import role_end
from villagegov.testing import make_person

pytestmark = pytest.mark.usefixtures("english")


def _url(term: RoleAssignment) -> str:
    return reverse("role_end", args=[term.person.village.admin_code, term.person.pk, term.pk])


def test_service_ends_term_with_audit(village: Village, actor: User) -> None:
    person = make_person(village, roles=(Role.CLERK,))
    term = RoleAssignment.objects.get(person=person)
    role_end(actor=actor, assignment=term, ends_on=date(2023, 6, 30))
    term.refresh_from_db()
    assert term.ends_on == date(2023, 6, 30)
    record = AuditRecord.objects.get(action="role.end")
    assert record.before is not None and record.after is not None
    assert (record.before["ends_on"], record.after["ends_on"]) == (None, "2023-06-30")


def test_service_refuses_end_before_start_and_ended_terms(village: Village, actor: User) -> None:
    person = make_person(village, roles=(Role.CLERK,))
    term = RoleAssignment.objects.get(person=person)
    with pytest.raises(ValidationError, match="before it starts"):
        role_end(actor=actor, assignment=term, ends_on=date(2019, 12, 31))
    role_end(actor=actor, assignment=term, ends_on=date(2023, 6, 30))
    with pytest.raises(ValidationError, match="already ended"):
        role_end(actor=actor, assignment=term, ends_on=date(2023, 7, 30))
    term.refresh_from_db()
    assert term.ends_on == date(2023, 6, 30)


def test_service_refuses_end_overlapping_a_later_term(village: Village, actor: User) -> None:
    person = make_person(village)
    first = RoleAssignment.objects.create(
        person=person, role=Role.CLERK, starts_on=date(2015, 1, 1), ends_on=timezone.localdate()
    )
    RoleAssignment.objects.create(
        person=person, role=Role.CLERK, starts_on=timezone.localdate() + timedelta(days=10)
    )
    with pytest.raises(ValidationError, match="overlaps"):
        role_end(actor=actor, assignment=first, ends_on=timezone.localdate() + timedelta(days=20))


def test_page_ends_term(village: Village, official_client: Client) -> None:
    person = make_person(village, roles=(Role.CLERK,))
    term = RoleAssignment.objects.get(person=person)
    response = official_client.post(_url(term), {"ends_on": "2024-12-31"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.ends_on == date(2024, 12, 31)


@pytest.mark.parametrize("ends_on", ["", "2024-13-01", "2019-01-01", "-1"])
def test_page_bad_input_changes_nothing(village: Village, official_client: Client, ends_on: str) -> None:
    person = make_person(village, roles=(Role.CLERK,))
    term = RoleAssignment.objects.get(person=person)
    response = official_client.post(_url(term), {"ends_on": ends_on})
    assert response.status_code == 400
    assert b"errorlist" in response.content
    term.refresh_from_db()
    assert term.ends_on is None


def test_access(
    village: Village,
    other_village: Village,
    official_client: Client,
    resident_client: Client,
    outsider_client: Client,
    client: Client,
) -> None:
    person = make_person(village, roles=(Role.CLERK,))
    term = RoleAssignment.objects.get(person=person)
    data = {"ends_on": "2024-12-31"}
    assert resident_client.post(_url(term), data).status_code == 403
    assert outsider_client.post(_url(term), data).status_code == 404
    assert client.post(_url(term), data).status_code == 302
    # Another person's term under this person's URL, and a term of another village.
    other = make_person(village, roles=(Role.CLERK,))
    other_term = RoleAssignment.objects.get(person=other)
    url = reverse("role_end", args=[village.admin_code, person.pk, other_term.pk])
    assert official_client.post(url, data).status_code == 404
    stranger = make_person(other_village, roles=(Role.CLERK,))
    stranger_term = RoleAssignment.objects.get(person=stranger)
    url = reverse("role_end", args=[village.admin_code, stranger.pk, stranger_term.pk])
    assert official_client.post(url, data).status_code == 404
    assert not RoleAssignment.objects.filter(ends_on__isnull=False).exists()
