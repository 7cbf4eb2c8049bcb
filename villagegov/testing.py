"""Builders for tests of every app: villages, people with roles, logged-in clients."""

import itertools
from datetime import date, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from villagegov.models import (
    Body,
    BodyRule,
    Council,
    CouncilSeat,
    Gender,
    Household,
    Person,
    Role,
    RoleAssignment,
    RuleSet,
    Threshold,
    User,
    Village,
)
from villagegov.models.councils import BODY_OF_ROLE
from villagegov.rulesets import DEFAULT_RULE_SET_CODE, install_rule_sets

# Parametrized cases are built when the tests are collected, which can be the day before they run
# (a suite that crosses midnight in Asia/Shanghai): a case asks for tomorrow with this marker, and
# the test turns it into a date when it runs.
TOMORROW = "<tomorrow>"


def on_run(value: Any) -> Any:
    """`value`, or tomorrow's date (as of now) where it is the TOMORROW marker."""
    return timezone.localdate() + timedelta(days=1) if value == TOMORROW else value


_sequence = itertools.count(1)
ROLES_SINCE = date(2020, 1, 1)
COUNCIL_NAMES = {Body.VILLAGE_COMMITTEE: "村民委员会", Body.SUPERVISION_COMMITTEE: "村务监督委员会"}


def default_rule_set() -> RuleSet:
    """The shipped rule set; reinstalled when a transactional test flushed the migration's data."""
    if not RuleSet.objects.filter(code=DEFAULT_RULE_SET_CODE).exists():
        install_rule_sets(RuleSet, BodyRule, Threshold)
    return RuleSet.objects.get(code=DEFAULT_RULE_SET_CODE)


def make_village(*, name: str = "测试村", admin_code: str | None = None) -> Village:
    return Village.objects.create(
        name=name,
        admin_code=admin_code or f"4419{next(_sequence):08d}",
        township="东坑镇",
        county="东莞市",
        province="广东省",
        rule_set=default_rule_set(),
    )


def make_person(
    village: Village,
    *,
    name: str | None = None,
    roles: tuple[Role, ...] = (),
    gender: str = Gender.FEMALE,
    birth_date: date | None = date(1970, 1, 1),
    with_account: bool = False,
    registered: bool = True,
    household: Household | None = None,
    left_on: date | None = None,
) -> Person:
    """A person on `village`'s roster holding `roles` since 2020; with an account if asked
    (username = `u<id>`, password `village-pass-123`). Committee member and supervisor are
    seats on the village's council of that body, which is created the first time."""
    number = next(_sequence)
    user = None
    if with_account:
        user = User.objects.create_user(username=f"u{number}", password="village-pass-123")
    person = Person.objects.create(
        village=village,
        name=name or f"村民{number}",
        gender=gender,
        birth_date=birth_date,
        is_registered_resident=registered,
        joined_on=date(2000, 1, 1),
        left_on=left_on,
        left_reason="moved away" if left_on else "",
        household=household,
        user=user,
    )
    for role in roles:
        body = BODY_OF_ROLE.get(role)
        if body is None:
            RoleAssignment.objects.create(person=person, role=role, starts_on=ROLES_SINCE)
        else:
            CouncilSeat.objects.create(
                council=council_of(village, body), person=person, starts_on=ROLES_SINCE
            )
    return person


def council_of(village: Village, body: Body) -> Council:
    """The village's council of `body`, created if it has none."""
    council = Council.objects.filter(village=village, body=body).order_by("pk").first()
    if council is None:
        council = Council.objects.create(
            village=village, body=body, name=COUNCIL_NAMES.get(body) or str(body.label)
        )
    return council


def client_for(person: Person) -> Client:
    assert person.user is not None, "the person needs an account: make_person(..., with_account=True)"
    client = Client()
    client.force_login(person.user)
    return client
