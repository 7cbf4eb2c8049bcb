"""Builders for tests of every app: villages, people with roles, logged-in clients."""

import itertools
from datetime import date

from django.test import Client

from villagegov.models import (
    BodyRule,
    Gender,
    Person,
    Role,
    RoleAssignment,
    RuleSet,
    Threshold,
    User,
    Village,
)
from villagegov.rulesets import DEFAULT_RULE_SET_CODE, install_rule_sets

_sequence = itertools.count(1)


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
) -> Person:
    """A person on `village`'s roster holding `roles` since 2020; with an account if asked
    (username = `u<id>`, password `village-pass-123`)."""
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
        user=user,
    )
    for role in roles:
        RoleAssignment.objects.create(person=person, role=role, starts_on=date(2020, 1, 1))
    return person


def client_for(person: Person) -> Client:
    assert person.user is not None, "the person needs an account: make_person(..., with_account=True)"
    client = Client()
    client.force_login(person.user)
    return client
