from datetime import date
from decimal import Decimal

from django.utils import timezone

from assets.models import Membership, ShareChange
from assets.selectors.members import register_on
from villagegov.models import Person, Role, RoleAssignment, Village
from villagegov.testing import make_person


def _member(
    village: Village, official: Person, number: int, joined: date, shares: str, **more: object
) -> Membership:
    person = make_person(village, name=f"成员{number}")
    term = RoleAssignment.objects.create(person=person, role=Role.COLLECTIVE_MEMBER, starts_on=joined)
    assert official.user is not None
    membership = Membership.objects.create(
        village=village,
        person=person,
        number=number,
        role_term=term,
        shares=Decimal(shares),
        joined_on=joined,
        join_reason="founding",
        recorded_by=official.user,
        recorded_at=timezone.now(),
        **more,
    )
    ShareChange.objects.create(
        membership=membership,
        effective_on=joined,
        shares_before=0,
        shares_after=Decimal(shares),
        reason="入社",
        recorded_by=official.user,
        recorded_at=timezone.now(),
    )
    return membership


def test_the_register_on_a_day_follows_the_share_history(village: Village, official: Person) -> None:
    first = _member(village, official, 2, date(2020, 1, 1), "1.00")
    second = _member(village, official, 1, date(2020, 1, 1), "2.50")
    _member(village, official, 3, date(2025, 6, 1), "1.00")  # joined after the day
    _member(village, official, 4, date(2020, 1, 1), "1.00", left_on=date(2024, 3, 1), leave_reason="death")
    assert official.user is not None
    ShareChange.objects.create(
        membership=first,
        effective_on=date(2024, 7, 1),
        shares_before=1,
        shares_after=Decimal("1.50"),
        reason="调整",
        recorded_by=official.user,
        recorded_at=timezone.now(),
    )
    ShareChange.objects.create(
        membership=second,
        effective_on=date(2025, 1, 1),  # after the day: not yet
        shares_before=Decimal("2.50"),
        shares_after=0,
        reason="调整",
        recorded_by=official.user,
        recorded_at=timezone.now(),
    )
    register = register_on(village, day=date(2024, 12, 31))
    assert [(line.membership.number, line.shares) for line in register] == [
        (1, Decimal("2.50")),
        (2, Decimal("1.50")),
    ]
    # A member whose shares fell to nothing is not on the register of that later day.
    assert [line.membership.number for line in register_on(village, day=date(2025, 7, 1))] == [2, 3]


def test_two_queries_whatever_the_number_of_members(
    village: Village, official: Person, django_assert_num_queries: object
) -> None:
    for number in range(1, 8):
        _member(village, official, number, date(2020, 1, 1), "1")
    with django_assert_num_queries(2):  # type: ignore[operator]
        assert len(register_on(village, day=date(2024, 1, 1))) == 7
