"""The demo village: `python manage.py seed_demo` and `demo_village_build`."""

import re
from collections import Counter
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import models, transaction
from django.db.models import F, Q
from django.test import Client, override_settings
from pytest_django.fixtures import Settings

from villagegov.models import (
    INVERSE_RELATION,
    AuditRecord,
    Body,
    BodyRule,
    Council,
    CouncilSeat,
    Gender,
    Household,
    Kinship,
    Person,
    Purpose,
    Relation,
    Role,
    RoleAssignment,
    SeatPosition,
    User,
    Village,
    VillagerGroup,
)
from villagegov.permissions import roles_of_person
from villagegov.selectors.roster import people_with_role
from villagegov.services.demo import (
    AS_OF,
    DEMO_PASSWORD,
    SURNAMES,
    DemoVillage,
    demo_village_build,
    demo_village_plan,
)
from villagegov.thresholds import evaluate

# Close relatives (近亲属) in the sense of the supervision rules.
INELIGIBLE_ROLES = {Role.COMMITTEE_MEMBER, Role.ACCOUNTANT, Role.CLERK, Role.COLLECTIVE_HEAD}

EXPECTED_ROLE = {
    "zhuren": Role.COMMITTEE_MEMBER,
    "wenshu": Role.CLERK,
    "baozhangyuan": Role.ACCOUNTANT,
    "jianwei": Role.SUPERVISOR,
    "daibiao": Role.REPRESENTATIVE,
    "dangyuan": Role.PARTY_BRANCH_MEMBER,
    "gudong": Role.COLLECTIVE_MEMBER,
    "cunmin": Role.RESIDENT,
    "zhenjie": Role.TOWNSHIP_STAFF,
}

COUNTED_MODELS: list[type[models.Model]] = [
    Village,
    VillagerGroup,
    Household,
    Person,
    Kinship,
    RoleAssignment,
    Council,
    CouncilSeat,
    User,
    AuditRecord,
]


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[DemoVillage]:
    """One full-size village for the module, rolled back at its end so no other test sees it.

    Built with the fast hasher that conftest's autouse fixture gives every test, so the
    accounts' passwords check under the tests' settings."""
    fast_hasher = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic():
        with fast_hasher:
            demo = demo_village_build()
        yield demo
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in COUNTED_MODELS}


def holders(village: Village, role: Role) -> models.QuerySet[Person]:
    """Who holds `role` on the plan's day (committee members and supervisors by their seats)."""
    return people_with_role(village, role, on=AS_OF)


def test_plan_is_deterministic() -> None:
    assert demo_village_plan() == demo_village_plan()
    assert demo_village_plan(seed=1) != demo_village_plan()


def test_small_villages_are_planned_and_tiny_ones_refused() -> None:
    plan = demo_village_plan(households=30)
    assert len(plan.households) == 30
    assert len(plan.logins) == len(EXPECTED_ROLE)
    with pytest.raises(ValueError):
        demo_village_plan(households=5)


def test_counts_are_those_of_a_real_village(demo: DemoVillage, db: None) -> None:
    village = demo.village
    assert demo.created
    assert village.admin_code.startswith("4419") and len(village.admin_code) == 12
    assert village.rule_set.code == "cn-2018-organic-2024-collective"
    assert village.groups.count() == 8
    assert village.households.count() == 300
    assert 900 <= village.people.count() <= 1100
    assert all(20 <= group.households.count() <= 60 for group in village.groups.all())
    bodies = Counter(village.councils.values_list("body", flat=True))
    assert bodies == {
        Body.VILLAGERS_ASSEMBLY: 1,
        Body.REPRESENTATIVES_MEETING: 1,
        Body.VILLAGER_GROUP_MEETING: 8,
        Body.VILLAGE_COMMITTEE: 1,
        Body.SUPERVISION_COMMITTEE: 1,
        Body.MEMBERS_ASSEMBLY: 1,
        Body.BOARD: 1,
        Body.DELIBERATION_COUNCIL: 1,
    }
    assert set(
        village.councils.filter(body=Body.VILLAGER_GROUP_MEETING).values_list("group", flat=True)
    ) == set(village.groups.values_list("pk", flat=True))


def test_every_household_has_a_head_who_lives_in_it(demo: DemoVillage, db: None) -> None:
    households = Household.objects.filter(village=demo.village)
    assert not households.filter(Q(head__isnull=True) | ~Q(head__household=F("pk"))).exists()
    assert not Person.objects.filter(
        village=demo.village, is_registered_resident=True, household__isnull=True
    )


def test_people_look_like_villagers(demo: DemoVillage, db: None) -> None:
    people = list(Person.objects.filter(village=demo.village))
    genders = Counter(person.gender for person in people)
    assert 0.4 < genders[Gender.FEMALE] / len(people) < 0.6
    ages = [person.age_on(AS_OF) or 0 for person in people]
    assert min(ages) <= 1 and max(ages) >= 85
    assert all(person.name[0] in SURNAMES and 2 <= len(person.name) <= 3 for person in people)
    assert len({person.name for person in people}) > 0.95 * len(people)
    adults = [person for person in people if (person.age_on(AS_OF) or 0) >= 18]
    phones = [person.phone for person in adults if person.phone]
    assert len(phones) > 0.75 * len(adults)
    assert all(re.fullmatch(r"1[358]\d{9}", phone) for phone in phones)
    assert len(set(phones)) == len(phones)


def test_kinship_is_declared_both_ways(demo: DemoVillage, db: None) -> None:
    kinships = {
        (k.person_id, k.relative_id): k.relation for k in Kinship.objects.filter(person__village=demo.village)
    }
    assert set(kinships.values()) == {relation.value for relation in INVERSE_RELATION}
    for (person, relative), relation in kinships.items():
        assert kinships[(relative, person)] == INVERSE_RELATION[Relation(relation)]
    assert not Kinship.objects.filter(person__village=demo.village).exclude(
        person__household=F("relative__household")
    )


def test_representatives_meeting_meets_the_composition_rules(demo: DemoVillage, db: None) -> None:
    village = demo.village
    meeting = Council.objects.get(village=village, body=Body.REPRESENTATIVES_MEETING)
    seated = Person.objects.filter(council_seats__council=meeting)
    representatives = seated.filter(role_assignments__role=Role.REPRESENTATIVE).distinct()
    committee = holders(village, Role.COMMITTEE_MEMBER)
    assert set(seated) == set(representatives) | set(committee)
    assert 25 <= representatives.count() <= 35
    assert 5 <= village.households.count() / representatives.count() <= 15
    rule = BodyRule.objects.get(rule_set=village.rule_set, body=Body.REPRESENTATIVES_MEETING)
    outcome = evaluate(
        rule.thresholds.all(),
        purpose=Purpose.COMPOSITION,
        counts={
            "representatives": representatives.count(),
            "women": seated.filter(gender=Gender.FEMALE).count(),
        },
        totals={"all_members": seated.count()},
    )
    assert len(outcome.figures) == 2
    assert outcome.met, outcome.explain()


def test_village_committee_has_five_seats_and_a_chair(demo: DemoVillage, db: None) -> None:
    seats = CouncilSeat.objects.filter(council__village=demo.village, council__body=Body.VILLAGE_COMMITTEE)
    assert seats.count() == 5
    assert seats.filter(position=SeatPosition.CHAIR).count() == 1
    assert set(Person.objects.filter(council_seats__in=seats)) == set(
        holders(demo.village, Role.COMMITTEE_MEMBER)
    )
    assert seats.filter(person__gender=Gender.FEMALE).exists()
    board = CouncilSeat.objects.filter(council__village=demo.village, council__body=Body.BOARD)
    assert board.count() == 5 and board.filter(position=SeatPosition.CHAIR).count() == 1


def test_supervision_committee_members_are_eligible(demo: DemoVillage, db: None) -> None:
    village = demo.village
    seats = CouncilSeat.objects.filter(council__village=village, council__body=Body.SUPERVISION_COMMITTEE)
    assert seats.count() == 3
    assert seats.filter(position=SeatPosition.CHAIR).count() == 1
    supervisors = Person.objects.filter(council_seats__in=seats)
    assert set(supervisors) == set(holders(village, Role.SUPERVISOR))
    committee = set(holders(village, Role.COMMITTEE_MEMBER).values_list("pk", flat=True))
    for supervisor in supervisors:
        assert not roles_of_person(supervisor, on=AS_OF) & INELIGIBLE_ROLES
        relatives = set(Kinship.objects.filter(person=supervisor).values_list("relative_id", flat=True))
        assert not relatives & committee, f"{supervisor} is a close relative of a village-committee member"
    assert seats.filter(note__contains="财会").exists()


def test_shareholders_are_most_registered_adults(demo: DemoVillage, db: None) -> None:
    village = demo.village
    adults = [
        person
        for person in Person.objects.filter(village=village, is_registered_resident=True)
        if (person.age_on(AS_OF) or 0) >= 18
    ]
    shareholders = holders(village, Role.COLLECTIVE_MEMBER)
    assert all((person.age_on(AS_OF) or 0) >= 18 and person.is_registered_resident for person in shareholders)
    assert 0.8 * len(adults) <= shareholders.count() < len(adults)
    heads = holders(village, Role.COLLECTIVE_HEAD)
    assert heads.count() == 1 and set(heads) <= set(holders(village, Role.COMMITTEE_MEMBER))


def test_each_printed_login_can_log_in_with_its_role(demo: DemoVillage, db: None) -> None:
    assert [login.username for login in demo.logins] == list(EXPECTED_ROLE)
    for login in demo.logins:
        assert login.password == DEMO_PASSWORD
        assert Client().login(username=login.username, password=login.password), login.username
        person = Person.objects.select_related("user").get(
            village=demo.village, user__username=login.username
        )
        assert person.name == login.name
        assert person.user is not None and person.user.phone == login.phone and person.user.phone_verified
        assert re.fullmatch(r"\+861[358]\d{9}", login.phone)
        assert EXPECTED_ROLE[login.username] in roles_of_person(person, on=AS_OF), login.username
    cunmin = Person.objects.get(village=demo.village, user__username="cunmin")
    assert roles_of_person(cunmin, on=AS_OF) == {Role.RESIDENT}
    township = Person.objects.get(village=demo.village, user__username="zhenjie")
    assert not township.is_registered_resident and township.household is None


def test_the_village_is_written_as_planned(demo: DemoVillage, db: None) -> None:
    """Together with the plan being deterministic: two fresh runs write the same village."""
    plan = demo_village_plan()
    numbers = [household.number for household in plan.households]
    written = [
        (p.name, p.gender, p.birth_date, p.phone, p.household.number if p.household else None)
        for p in Person.objects.filter(village=demo.village).select_related("household").order_by("pk")
    ]
    planned = [
        (p.name, p.gender, p.birth_date, p.phone, numbers[p.household] if p.household is not None else None)
        for p in plan.people
    ]
    assert written == planned
    assert Kinship.objects.filter(person__village=demo.village).count() == len(plan.kinships)
    assert RoleAssignment.objects.filter(person__village=demo.village).count() == len(plan.roles)
    # Committee members and supervisors hold their role by their seat alone.
    assert not {Role.COMMITTEE_MEMBER, Role.SUPERVISOR} & {role.role for role in plan.roles}


def test_the_load_is_audited_once(demo: DemoVillage, db: None) -> None:
    record = AuditRecord.objects.get(action="demo.load", village=demo.village)
    assert record.actor is None
    assert record.after is not None
    assert record.after["households"] == 300
    assert record.after["people"] == Person.objects.filter(village=demo.village).count()


def test_second_run_creates_nothing_and_resets_the_passwords(demo: DemoVillage, db: None) -> None:
    chair = User.objects.get(username="zhuren")
    chair.set_password("changed-by-the-chair")
    chair.save(update_fields=["password"])
    before = counts()

    again = demo_village_build()

    assert not again.created
    assert again.village == demo.village
    assert counts() == before
    assert again.logins == demo.logins
    assert Client().login(username="zhuren", password=DEMO_PASSWORD)


def test_command_refuses_production_unless_forced(demo: DemoVillage, db: None, settings: Settings) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", "--force", stdout=StringIO())


def test_command_prints_the_logins(demo: DemoVillage, db: None, settings: Settings) -> None:
    settings.DEBUG = True  # as under `make run`
    call_command("seed_demo", stdout=StringIO())  # adds the other apps' parts (a session) once
    before = counts()
    out = StringIO()

    call_command("seed_demo", stdout=out)

    printed = out.getvalue()
    assert counts() == before
    assert "http://127.0.0.1:8000/" in printed
    for login in demo.logins:
        line = next(line for line in printed.splitlines() if f" {login.username} " in line)
        assert login.name in line and login.phone in line and DEMO_PASSWORD in line
