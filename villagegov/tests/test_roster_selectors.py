"""The roster reads other areas use: role holders, adults, counts and close relatives."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from villagegov.models import (
    CouncilSeat,
    Household,
    Kinship,
    Person,
    Relation,
    Role,
    RoleAssignment,
    Village,
    VillagerGroup,
)
from villagegov.selectors.roster import (
    adult_born_on_or_before,
    adults,
    close_relatives,
    counted_households,
    people_search,
    people_with_role,
    roster_counts,
)
from villagegov.testing import make_person, make_village


def test_people_with_role_on_a_day(village: Village) -> None:
    past = make_person(village, name="前任")
    RoleAssignment.objects.create(
        person=past, role=Role.CLERK, starts_on=date(2015, 1, 1), ends_on=date(2019, 12, 31)
    )
    current = make_person(village, name="现任", roles=(Role.CLERK,))  # since 2020-01-01
    gone = make_person(village, name="已离开")
    RoleAssignment.objects.create(
        person=gone, role=Role.CLERK, starts_on=date(2015, 1, 1), ends_on=date(2021, 6, 1)
    )
    Person.objects.filter(pk=gone.pk).update(left_on=date(2021, 6, 1), left_reason="death")
    make_person(make_village(), roles=(Role.CLERK,))
    assert set(people_with_role(village, Role.CLERK)) == {current}
    assert set(people_with_role(village, Role.CLERK, on=date(2019, 12, 31))) == {past, gone}
    assert set(people_with_role(village, Role.CLERK, on=date(2021, 6, 1))) == {current, gone}


def test_people_with_derived_roles(village: Village) -> None:
    resident = make_person(village)
    outsider_worker = make_person(village, registered=False, roles=(Role.TOWNSHIP_STAFF,))
    home = Household.objects.create(village=village, number="0101", head=resident)
    Person.objects.filter(pk=resident.pk).update(household=home)
    assert set(people_with_role(village, Role.RESIDENT)) == {resident}
    assert set(people_with_role(village, Role.HOUSEHOLD_HEAD)) == {resident}
    assert set(people_with_role(village, Role.TOWNSHIP_STAFF)) == {outsider_worker}


def test_adults_on_a_day(village: Village) -> None:
    on = date(2024, 6, 15)
    turned_18_that_day = make_person(village, birth_date=date(2006, 6, 15))
    make_person(village, birth_date=date(2006, 6, 16))  # 17
    unknown_age = make_person(village, birth_date=None)  # counts: see adults()
    make_person(village, registered=False)  # not a registered villager
    left = make_person(village)
    Person.objects.filter(pk=left.pk).update(left_on=date(2024, 1, 1), left_reason="moved away")
    joined_later = make_person(village)
    Person.objects.filter(pk=joined_later.pk).update(joined_on=date(2024, 7, 1))
    assert set(adults(village, on=on)) == {turned_18_that_day, unknown_age}
    assert left in set(adults(village, on=date(2023, 12, 31)))


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2024, 6, 15), date(2006, 6, 15)), (date(2028, 2, 29), date(2010, 2, 28))],
)
def test_adult_cutoff_agrees_with_age_on(village: Village, day: date, expected: date) -> None:
    assert adult_born_on_or_before(day) == expected
    person = make_person(village, birth_date=expected)
    assert person.age_on(day) == 18
    assert make_person(village, birth_date=expected + timedelta(days=1)).age_on(day) == 17


def test_roster_counts(village: Village) -> None:
    group = VillagerGroup.objects.create(village=village, number=1, name="一组")
    first, second, emptied, unregistered = (
        Household.objects.create(village=village, number=f"010{n}", group=group) for n in range(4)
    )
    make_person(village, gender="F", household=first)
    make_person(village, gender="M")
    child = timezone.localdate() - timedelta(days=365 * 5)
    make_person(village, gender="F", birth_date=child, household=second)  # a child is a registered member
    make_person(village, gender="M", registered=False, household=unregistered)
    gone = make_person(village, gender="F", household=emptied)
    Person.objects.filter(pk=gone.pk).update(left_on=date(2024, 1, 1), left_reason="death")
    make_person(make_village(), gender="F")
    counts = roster_counts(village)
    # Households count only while a registered villager of theirs is on the roster.
    assert (counts.groups, counts.households, counts.people, counts.adults, counts.women) == (1, 2, 4, 2, 2)
    assert set(counted_households(village, on=date(2023, 12, 31))) == {first, second, emptied}


def test_committee_roles_come_from_seats_in_force(village: Village) -> None:
    member = make_person(village, name="委员", roles=(Role.COMMITTEE_MEMBER,))
    supervisor = make_person(village, name="监委", roles=(Role.SUPERVISOR,))
    former = make_person(village, name="前委员", roles=(Role.COMMITTEE_MEMBER,))
    CouncilSeat.objects.filter(person=former).update(ends_on=date(2023, 12, 31))
    assert set(people_with_role(village, Role.COMMITTEE_MEMBER)) == {member}
    assert set(people_with_role(village, Role.COMMITTEE_MEMBER, on=date(2023, 1, 1))) == {member, former}
    assert set(people_with_role(village, Role.COMMITTEE_MEMBER, on=date(2019, 12, 31))) == set()
    assert set(people_with_role(village, Role.SUPERVISOR)) == {supervisor}
    assert set(people_search(village, role=Role.COMMITTEE_MEMBER)) == {member}


def test_close_relatives_as_declared(village: Village) -> None:
    person, spouse, child, unrelated = (make_person(village) for _ in range(4))
    for relative, relation, inverse in [
        (spouse, Relation.SPOUSE, Relation.SPOUSE),
        (child, Relation.CHILD, Relation.PARENT),
    ]:
        Kinship.objects.create(person=person, relative=relative, relation=relation)
        Kinship.objects.create(person=relative, relative=person, relation=inverse)
    assert close_relatives(person) == {spouse, child}
    assert close_relatives(child) == {person}
    assert close_relatives(unrelated) == set()


def test_people_search_stays_in_the_village(village: Village) -> None:
    mine = make_person(village, name="同名")
    make_person(make_village(), name="同名")
    assert list(people_search(village, query="同名")) == [mine]
