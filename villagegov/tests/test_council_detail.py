"""A council's page: members, rules and the quorum calculator."""

from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from villagegov.models import (
    Basis,
    Body,
    BodyRule,
    Council,
    CouncilSeat,
    Counted,
    Person,
    Purpose,
    Role,
    RuleSet,
    SeatPosition,
    Village,
    VillagerGroup,
)
from villagegov.testing import make_person


def url(target: Council) -> str:
    return reverse("council_detail", args=[target.village.admin_code, target.pk])


def in_english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def meeting(village: Village) -> Council:
    """A representatives' meeting of 31 members."""
    council = Council.objects.create(village=village, body=Body.REPRESENTATIVES_MEETING, name="村民代表会议")
    for index in range(31):
        person = make_person(village, name=f"代表{index:02d}", roles=(Role.REPRESENTATIVE,))
        position = SeatPosition.CHAIR if index == 0 else SeatPosition.MEMBER
        CouncilSeat.objects.create(
            council=council, person=person, position=position, starts_on=date(2024, 1, 1)
        )
    return council


def test_shows_members_rules_and_citations(meeting: Council, resident_client: Client) -> None:
    response = in_english(resident_client).get(url(meeting))
    assert response.status_code == 200
    page = response.content.decode()
    assert "代表00" in page and "代表30" in page
    assert response.context["member_count"] == 31
    assert "at least 2/3" in page and "more than half" in page
    assert "Art. 26" in page and "Art. 25" in page
    assert "all members of the body" in page
    # A resident sees no management forms.
    assert reverse("council_seat_add", args=[meeting.village.admin_code, meeting.pk]) not in page


def test_shows_rules_in_chinese_by_default(meeting: Council, resident_client: Client) -> None:
    page = resident_client.get(url(meeting)).content.decode()
    assert "三分之二以上" in page and "过半数" in page
    assert "第二十六条" in page


def test_managers_get_the_seat_forms(meeting: Council, official_client: Client) -> None:
    page = official_client.get(url(meeting)).content.decode()
    assert reverse("council_seat_add", args=[meeting.village.admin_code, meeting.pk]) in page
    seat = meeting.seats.first()
    assert seat is not None
    assert reverse("council_seat_end", args=[meeting.village.admin_code, meeting.pk, seat.pk]) in page


def test_calculator_says_the_quorum_is_met_with_21_of_31(meeting: Council, resident_client: Client) -> None:
    response = in_english(resident_client).get(url(meeting), {"attendees": 21, "yes_votes": 11})
    assert response.status_code == 200
    calculation = response.context["calculation"]
    assert calculation.quorum.met
    assert calculation.quorum.figures[0].needed == 21
    assert calculation.decision.met  # 11 of 21 attendees is more than half
    page = response.content.decode()
    assert "needs 21" in page and "Art. 26" in page and "(31 people)" in page


def test_calculator_says_when_the_quorum_is_not_met(meeting: Council, resident_client: Client) -> None:
    response = resident_client.get(url(meeting), {"attendees": 20, "yes_votes": 10})
    calculation = response.context["calculation"]
    assert not calculation.quorum.met and not calculation.decision.met
    assert calculation.decision.figures[0].needed == 11


def test_calculator_for_the_villagers_assembly_counts_households(
    village: Village, resident_client: Client
) -> None:
    assembly = Council.objects.create(village=village, body=Body.VILLAGERS_ASSEMBLY, name="村民会议")
    for number in range(3):
        home = village.households.create(number=f"{number:03d}")
        make_person(village, household=home)
    # Households with no registered villager left on the roster have no one to represent them.
    emptied = village.households.create(number="100")
    make_person(village, household=emptied, left_on=date(2024, 1, 1))
    make_person(village, household=village.households.create(number="101"), registered=False)
    response = resident_client.get(url(assembly), {"attendees": 0, "households_represented": 2})
    assert response.context["totals"][Basis.HOUSEHOLDS] == 3
    calculation = response.context["calculation"]
    assert calculation.quorum.met  # two of three households is two-thirds
    assert calculation.decision is None


def test_calculator_refuses_more_households_than_there_are(village: Village, resident_client: Client) -> None:
    assembly = Council.objects.create(village=village, body=Body.VILLAGERS_ASSEMBLY, name="村民会议")
    for number in range(3):
        make_person(village, household=village.households.create(number=f"{number:03d}"))
    response = in_english(resident_client).get(url(assembly), {"attendees": 0, "households_represented": 4})
    assert response.status_code == 400
    assert response.context["calculation"] is None
    assert "than the 3 households counted" in response.content.decode()


def test_calculator_refuses_more_attendees_than_members(meeting: Council, resident_client: Client) -> None:
    response = in_english(resident_client).get(url(meeting), {"attendees": 32, "yes_votes": 20})
    assert response.status_code == 400
    assert response.context["calculation"] is None
    assert "more attendees than the body&#x27;s 31 members" in response.content.decode()


def test_group_meeting_counts_the_group_households_that_have_villagers(
    village: Village, resident_client: Client
) -> None:
    first, second = (VillagerGroup.objects.create(village=village, number=n, name=f"{n}组") for n in (1, 2))
    meeting = Council.objects.create(
        village=village, body=Body.VILLAGER_GROUP_MEETING, name="一组会议", group=first
    )
    for number, group in (("001", first), ("002", first), ("003", second)):
        make_person(village, household=village.households.create(number=number, group=group))
    first_empty = village.households.create(number="004", group=first)
    make_person(village, household=first_empty, left_on=date(2023, 1, 1))
    response = in_english(resident_client).get(url(meeting), {"attendees": 2, "households_represented": 3})
    assert response.status_code == 400
    assert response.context["totals"][Basis.GROUP_HOUSEHOLDS] == 2
    assert "than the 2 households counted" in response.content.decode()
    response = resident_client.get(url(meeting), {"attendees": 2, "households_represented": 2})
    assert response.status_code == 200
    assert response.context["calculation"].quorum.met


@pytest.mark.parametrize(
    "query",
    [
        {"attendees": "-1"},
        {"attendees": "abc"},
        {"attendees": str(2**70)},
        {"attendees": "1e309"},
        {"attendees": ""},
        {"attendees": "5", "yes_votes": "6"},
    ],
)
def test_calculator_bad_numbers_give_a_form_error(
    meeting: Council, resident_client: Client, query: dict[str, str]
) -> None:
    response = resident_client.get(url(meeting), query)
    assert response.status_code == 400
    assert response.context["calculator"].errors
    assert response.context["calculation"] is None
    assert 'class="errorlist' in response.content.decode()


@pytest.mark.parametrize("households", ["-3", "lots", str(10**7)])
def test_calculator_bad_household_numbers_give_a_form_error(
    village: Village, resident_client: Client, households: str
) -> None:
    assembly = Council.objects.create(village=village, body=Body.VILLAGERS_ASSEMBLY, name="村民会议")
    response = resident_client.get(url(assembly), {"attendees": "5", "households_represented": households})
    assert response.status_code == 400
    assert "households_represented" in response.context["calculator"].errors


def test_calculator_asks_for_households_only_where_they_count(
    meeting: Council, resident_client: Client
) -> None:
    calculator = resident_client.get(url(meeting)).context["calculator"]
    assert "households_represented" not in calculator.fields


def test_rules_are_listed_quorum_first(meeting: Council, resident_client: Client) -> None:
    resident_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    lines = resident_client.get(url(meeting)).context["threshold_lines"]
    assert [line.purpose for line in lines][:2] == ["quorum to open", "decision passes"]


def test_seats_are_listed_chair_first(village: Village, official_client: Client) -> None:
    board = Council.objects.create(village=village, body=Body.BOARD, name="理事会")
    for name, position in (
        ("甲", SeatPosition.MEMBER),
        ("乙", SeatPosition.VICE_CHAIR),
        ("丙", SeatPosition.CHAIR),
    ):
        CouncilSeat.objects.create(
            council=board,
            person=make_person(village, name=name),
            position=position,
            starts_on=date(2024, 1, 1),
        )
    seats = official_client.get(url(board)).context["current_seats"]
    assert [seat.person.name for seat in seats] == ["丙", "乙", "甲"]


def test_advisory_body_has_no_calculator(village: Village, resident_client: Client) -> None:
    council = Council.objects.create(village=village, body=Body.WOMENS_DELIBERATION, name="妇女议事会")
    response = in_english(resident_client).get(url(council), {"attendees": 3})
    assert response.status_code == 200
    assert response.context["calculator"] is None
    assert "advisory" in response.content.decode()


def test_roster_body_lists_its_members_to_roster_viewers(
    village: Village, resident: Person, official_client: Client
) -> None:
    assembly = Council.objects.create(village=village, body=Body.VILLAGERS_ASSEMBLY, name="村民会议")
    child = make_person(village, name="小明", birth_date=date(2020, 1, 1))
    response = in_english(official_client).get(url(assembly))
    page = response.content.decode()
    assert resident.name in page and child.name not in page
    assert "aged 18 or over" in page
    assert official_client.get(url(assembly), {"page": "999"}).status_code == 200


def test_residents_see_how_many_belong_but_not_who(
    village: Village, resident: Person, official: Person, resident_client: Client
) -> None:
    """The roster is for roster viewers; a roster body's page must not open it to everyone."""
    assembly = Council.objects.create(village=village, body=Body.VILLAGERS_ASSEMBLY, name="村民会议")
    page = in_english(resident_client).get(url(assembly)).content.decode()
    assert official.name not in page
    assert "2 people belong to it today" in page


def test_other_village_and_anonymous(
    meeting: Council, other_village: Village, outsider_client: Client, official_client: Client
) -> None:
    assert outsider_client.get(url(meeting)).status_code == 404
    response = Client().get(url(meeting))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    foreign = Council.objects.create(village=other_village, body=Body.BOARD, name="外村理事会")
    wrong = reverse("council_detail", args=[meeting.village.admin_code, foreign.pk])
    assert official_client.get(wrong).status_code == 404


def test_calculator_explains_rules_it_cannot_count(village: Village, resident_client: Client) -> None:
    """A hand-made rule set may measure a meeting against registered voters, which the roster lacks."""
    custom = RuleSet.objects.create(
        code="hand-made", name_zh="自定", name_en="Hand-made", effective_from=date(2025, 1, 1)
    )
    rule = BodyRule.objects.create(rule_set=custom, body=Body.BOARD)
    rule.thresholds.create(
        purpose=Purpose.QUORUM,
        counted=Counted.ATTENDEES,
        basis=Basis.REGISTERED_VOTERS,
        numerator=1,
        denominator=2,
        strict=True,
        citation_zh="自定规则",
        citation_en="hand-made",
    )
    village.rule_set = custom
    village.save()
    board = Council.objects.create(village=village, body=Body.BOARD, name="理事会")
    for _ in range(3):
        CouncilSeat.objects.create(council=board, person=make_person(village), starts_on=date(2024, 1, 1))
    response = resident_client.get(url(board), {"attendees": 3})
    assert response.status_code == 200
    assert response.context["calculation"] is None
    assert response.context["calculator"].non_field_errors()
