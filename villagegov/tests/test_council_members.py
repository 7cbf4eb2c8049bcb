"""Who belongs to a council on a day, the totals its thresholds use, and its composition."""

from datetime import date

import pytest

from villagegov.models import (
    Body,
    Council,
    CouncilSeat,
    Gender,
    Household,
    Person,
    Role,
    SeatPosition,
    Village,
    VillagerGroup,
)
from villagegov.selectors.councils import (
    council_composition,
    council_members,
    council_summaries,
    council_totals,
)
from villagegov.testing import make_person

DAY = date(2025, 6, 1)


def council(village: Village, body: Body, **fields: object) -> Council:
    return Council.objects.create(
        village=village, body=body, name=f"{body}-{fields.get('group', '')}", **fields
    )


def seat(target: Council, person: Person, **fields: object) -> CouncilSeat:
    values: dict[str, object] = {"starts_on": date(2024, 1, 1), "position": SeatPosition.MEMBER} | fields
    return CouncilSeat.objects.create(council=target, person=person, **values)


@pytest.fixture
def group(village: Village) -> VillagerGroup:
    return VillagerGroup.objects.create(village=village, number=1, name="一组")


def test_villagers_assembly_is_the_registered_adults_on_the_roster(
    village: Village, other_village: Village
) -> None:
    adult = make_person(village, birth_date=date(1980, 1, 1))
    turns_18_that_day = make_person(village, birth_date=date(2007, 6, 1))
    unknown_age = make_person(village, birth_date=None)
    make_person(village, birth_date=date(2007, 6, 2))  # 17 on DAY
    make_person(village, registered=False)
    gone = make_person(village)
    gone.left_on = date(2025, 1, 1)
    gone.save()
    make_person(other_village)
    members = set(council_members(council(village, Body.VILLAGERS_ASSEMBLY), on=DAY))
    assert members == {adult, turns_18_that_day, unknown_age}


def test_group_meeting_is_the_adults_of_the_groups_households(village: Village, group: VillagerGroup) -> None:
    home = Household.objects.create(village=village, group=group, number="001")
    elsewhere = Household.objects.create(village=village, number="002")
    inside = make_person(village)
    inside.household = home
    inside.save()
    outside = make_person(village)
    outside.household = elsewhere
    outside.save()
    meeting = council(village, Body.VILLAGER_GROUP_MEETING, group=group)
    assert list(council_members(meeting, on=DAY)) == [inside]
    totals = council_totals(meeting, on=DAY)
    assert totals["group_adults"] == 1 and totals["group_households"] == 1
    assert totals["adult_villagers"] == 2 and totals["households"] == 2


def test_members_assembly_is_the_collective_members(village: Village) -> None:
    member = make_person(village, roles=(Role.COLLECTIVE_MEMBER,))
    make_person(village)
    assert list(council_members(council(village, Body.MEMBERS_ASSEMBLY), on=DAY)) == [member]


def test_seated_bodies_count_seats_in_force(village: Village) -> None:
    board = council(village, Body.BOARD)
    current, ended, future, left = (make_person(village) for _ in range(4))
    seat(board, current)
    seat(board, ended, ends_on=date(2025, 5, 31))
    seat(board, future, starts_on=date(2025, 6, 2))
    seat(board, left)
    left.left_on = date(2025, 3, 1)
    left.save()
    assert list(council_members(board, on=DAY)) == [current]
    assert council_totals(board, on=DAY)["all_members"] == 1
    assert "group_adults" not in council_totals(board, on=DAY)


def test_totals_count_the_representatives_of_the_village(village: Village) -> None:
    make_person(village, roles=(Role.REPRESENTATIVE,))
    make_person(village, roles=(Role.REPRESENTATIVE,))
    make_person(village)
    totals = council_totals(council(village, Body.VILLAGERS_ASSEMBLY), on=DAY)
    assert totals["representatives"] == 2
    assert totals["adult_villagers"] == 3


def make_meeting(village: Village, *, representatives: int, committee: int, women: int) -> Council:
    """A representatives' meeting of representatives and committee members; the first `women` are women."""
    meeting = council(village, Body.REPRESENTATIVES_MEETING)
    for index in range(representatives + committee):
        roles = (Role.REPRESENTATIVE,) if index < representatives else (Role.COMMITTEE_MEMBER,)
        gender = Gender.FEMALE if index < women else Gender.MALE
        seat(meeting, make_person(village, roles=roles, gender=gender))
    return meeting


def test_composition_counts_women_against_all_members(village: Village) -> None:
    # 25 representatives and 5 committee members: 30 members; 25 >= 4/5 of 30 (24).
    # Ten women are a third of all 30 members, although they are 40% of the representatives.
    meeting = make_meeting(village, representatives=25, committee=5, women=10)
    outcome = council_composition(meeting, on=DAY)
    assert outcome.met
    assert [(f.count, f.total, f.needed) for f in outcome.figures] == [(25, 30, 24), (10, 30, 10)]


def test_composition_fails_when_women_are_short_of_a_third_of_all_members(village: Village) -> None:
    # Nine women are more than a third of the 25 representatives but not of the 30 members.
    meeting = make_meeting(village, representatives=25, committee=5, women=9)
    outcome = council_composition(meeting, on=DAY)
    assert not outcome.met
    assert [f.met for f in outcome.figures] == [True, False]


def test_composition_fails_with_too_few_representatives(village: Village) -> None:
    meeting = make_meeting(village, representatives=20, committee=6, women=13)
    outcome = council_composition(meeting, on=DAY)
    assert not outcome.met
    assert outcome.figures[0].needed == 21


def test_bodies_without_composition_rules_have_no_figures(village: Village) -> None:
    board = council(village, Body.BOARD)
    seat(board, make_person(village))
    outcome = council_composition(board, on=DAY)
    assert outcome.met and outcome.figures == ()


def test_summaries_match_the_single_council_selectors(
    village: Village, group: VillagerGroup, django_assert_max_num_queries: object
) -> None:
    home = Household.objects.create(village=village, group=group, number="001")
    for _ in range(3):
        person = make_person(village, roles=(Role.COLLECTIVE_MEMBER,))
        person.household = home
        person.save()
    councils = [
        council(village, Body.VILLAGERS_ASSEMBLY),
        council(village, Body.VILLAGER_GROUP_MEETING, group=group),
        council(village, Body.MEMBERS_ASSEMBLY),
        make_meeting(village, representatives=4, committee=1, women=1),
        council(village, Body.DELIBERATION_COUNCIL),
    ]
    for extra in range(10):
        board = Council.objects.create(village=village, body=Body.DELIBERATION_COUNCIL, name=f"议事会{extra}")
        seat(board, make_person(village))
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        summaries = {summary.council: summary for summary in council_summaries(village, on=DAY)}
    for target in councils:
        assert summaries[target].member_count == council_totals(target, on=DAY)["all_members"], target.body
        assert summaries[target].composition == council_composition(target, on=DAY), target.body
    meeting = summaries[councils[3]]
    assert meeting.composition_applies and not meeting.composition.met  # 1 woman of 5 is short of a third
    assert not summaries[councils[0]].composition_applies
