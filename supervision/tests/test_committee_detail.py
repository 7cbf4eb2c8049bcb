"""The committee's page: members in office, chair first, with their term, the resolution that
elected them and the finance flag; warnings (size outside 3–5, no finance knowledge, no chair)
with the rule's citation. Anyone of the village may read it; nobody else."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from supervision.selectors.committee import committee_in_office, committee_warnings
from supervision.tests.reviews_testing import committee
from villagegov.models import Body, CouncilSeat, Village
from villagegov.testing import council_of, make_person

pytestmark = pytest.mark.usefixtures("english")

TODAY = date(2026, 1, 1)


def url(village: Village) -> str:
    return reverse("committee_detail", args=[village.admin_code])


@pytest.mark.django_db
def test_members_in_office_chair_first_with_their_appointment(village: Village) -> None:
    people = committee(village, 3)
    members = committee_in_office(village, on=TODAY)
    assert [m.person for m in members] == people
    assert members[0].is_chair and not members[1].is_chair
    assert members[0].finance_knowledge and not members[1].finance_knowledge
    assert members[0].appointment is not None
    assert committee_warnings(members) == []


@pytest.mark.django_db
def test_ended_terms_are_not_in_office(village: Village) -> None:
    people = committee(village, 4)
    CouncilSeat.objects.filter(person=people[3]).update(ends_on=date(2024, 12, 31))
    assert [m.person for m in committee_in_office(village, on=TODAY)] == people[:3]


@pytest.mark.django_db
@pytest.mark.parametrize(("size", "warned"), [(1, True), (2, True), (3, False), (5, False), (6, True)])
def test_warns_when_the_size_is_outside_three_to_five(village: Village, size: int, warned: bool) -> None:
    committee(village, size)
    warnings = committee_warnings(committee_in_office(village, on=TODAY))
    assert any("3 to 5" in warning for warning in warnings) is warned


@pytest.mark.django_db
def test_warns_without_finance_knowledge_and_without_chair(village: Village) -> None:
    people = committee(village, 3, finance=False)
    CouncilSeat.objects.filter(person=people[0]).update(position="member")
    warnings = committee_warnings(committee_in_office(village, on=TODAY))
    assert any("finance or accounting" in warning for warning in warnings)
    assert any("no chair" in warning for warning in warnings)


@pytest.mark.django_db
def test_page_shows_members_and_warnings_with_the_citation(village: Village, resident_client: Client) -> None:
    people = committee(village, 2)
    response = resident_client.get(url(village))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.index(people[0].name) < text.index(people[1].name)
    assert "3 to 5" in text and "第三十二条" in text and "2017" in text
    assert "关于修建村道的决议" in text  # the electing resolution
    assert reverse("appointment_create", args=[village.admin_code]) not in text


@pytest.mark.django_db
def test_officials_are_offered_to_record_a_member(village: Village, official_client: Client) -> None:
    response = official_client.get(url(village))
    assert response.status_code == 200
    assert "No one sits on the supervision committee yet" in response.content.decode()
    assert reverse("appointment_create", args=[village.admin_code]) in response.content.decode()


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_members(village: Village, resident_client: Client) -> None:
    committee(village, 3)
    with CaptureQueriesContext(connection) as three:
        resident_client.get(url(village))
    for _ in range(2):
        CouncilSeat.objects.create(
            council=council_of(village, Body.SUPERVISION_COMMITTEE),
            person=make_person(village),
            starts_on=date(2020, 1, 1),
        )
    with CaptureQueriesContext(connection) as five:
        resident_client.get(url(village))
    assert len(five) == len(three)


@pytest.mark.django_db
def test_access(village: Village, outsider_client: Client) -> None:
    assert outsider_client.get(url(village)).status_code == 404
    anonymous = Client().get(url(village))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
