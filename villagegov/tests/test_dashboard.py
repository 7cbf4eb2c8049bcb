"""A village's dashboard: big numbers, my roles, councils and the links my roles allow."""

from datetime import date

from django.conf import settings
from django.test import Client
from django.urls import reverse

from villagegov.models import (
    Body,
    Council,
    CouncilSeat,
    Gender,
    Household,
    Person,
    Role,
    Village,
    VillagerGroup,
)
from villagegov.testing import client_for, make_person


def url(village: Village) -> str:
    return reverse("village_dashboard", args=[village.admin_code])


def test_big_numbers(village: Village, resident_client: Client) -> None:
    group = VillagerGroup.objects.create(village=village, number=1, name="一组")
    first = Household.objects.create(village=village, group=group, number="001")
    second = Household.objects.create(village=village, number="002")
    # A household whose members have all left is no longer counted.
    emptied = Household.objects.create(village=village, number="003")
    make_person(village, household=emptied, left_on=date(2024, 1, 1))
    make_person(village, roles=(Role.REPRESENTATIVE,), gender=Gender.FEMALE, household=first)
    make_person(village, roles=(Role.REPRESENTATIVE,), gender=Gender.MALE, household=second)
    make_person(village, roles=(Role.REPRESENTATIVE,), gender=Gender.MALE)
    make_person(village, birth_date=date(2020, 1, 1))
    response = resident_client.get(url(village))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.roster.groups, figures.roster.households) == (1, 2)
    assert (figures.roster.people, figures.roster.adults) == (
        5,
        4,
    )  # the resident, three representatives, a child
    assert (figures.representatives, figures.women_representatives) == (3, 1)
    assert figures.women_share_of_representatives == 33
    assert "33%" in response.content.decode()


def test_my_roles_with_their_terms(village: Village, official: Person, official_client: Client) -> None:
    official_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = official_client.get(url(village))
    assert response.context["terms"] == []
    # The committee seat is the committee-member role, shown with its council and term.
    [(label, seat)] = response.context["role_seats"]
    assert (label, seat.council.name, seat.starts_on) == (
        Role.COMMITTEE_MEMBER.label,
        "村民委员会",
        date(2020, 1, 1),
    )
    page = response.content.decode()
    assert "village-committee member" in page and "村民委员会" in page
    assert response.context["standing_roles"] == [str(Role.RESIDENT.label)]


def test_links_follow_the_roles(village: Village, official_client: Client, resident_client: Client) -> None:
    roster, audit = (
        reverse("person_list", args=[village.admin_code]),
        reverse("audit_log", args=[village.admin_code]),
    )
    official_page = official_client.get(url(village)).content.decode()
    assert roster in official_page and audit in official_page
    resident_page = resident_client.get(url(village)).content.decode()
    assert roster not in resident_page and audit not in resident_page
    assert reverse("council_list", args=[village.admin_code]) in resident_page


def test_councils_with_their_badges(village: Village, resident_client: Client) -> None:
    meeting = Council.objects.create(village=village, body=Body.REPRESENTATIVES_MEETING, name="村民代表会议")
    for _ in range(5):
        person = make_person(village, roles=(Role.REPRESENTATIVE,), gender=Gender.MALE)
        CouncilSeat.objects.create(council=meeting, person=person, starts_on=date(2024, 1, 1))
    page = resident_client.get(url(village)).content.decode()
    assert "村民代表会议" in page
    assert 'class="badge badge-bad"' in page  # no women at all
    assert reverse("council_detail", args=[village.admin_code, meeting.pk]) in page


def test_a_supervisor_sees_the_audit_log_link(village: Village) -> None:
    supervisor = make_person(village, roles=(Role.SUPERVISOR,), with_account=True)
    page = client_for(supervisor).get(url(village)).content.decode()
    assert reverse("audit_log", args=[village.admin_code]) in page


def test_other_village_and_anonymous(village: Village, outsider_client: Client) -> None:
    response = outsider_client.get(url(village))
    assert response.status_code == 404
    assert village.name not in response.content.decode()
    response = Client().get(url(village))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_queries_do_not_grow_with_councils(
    village: Village, resident_client: Client, django_assert_max_num_queries: object
) -> None:
    for number in range(15):
        council = Council.objects.create(
            village=village, body=Body.DELIBERATION_COUNCIL, name=f"议事会{number}"
        )
        CouncilSeat.objects.create(council=council, person=make_person(village), starts_on=date(2024, 1, 1))
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        assert resident_client.get(url(village)).status_code == 200
