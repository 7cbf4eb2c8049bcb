"""Builders for the members tests (and any other test that needs members of the collective):
memberships with their COLLECTIVE_MEMBER role term and initial share change, and confirming
resolutions of the members' assembly, made directly with the models so that tests of other areas
do not depend on the members services."""

import itertools
from datetime import date
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from assets.models import Collective, JoinReason, Membership, ShareChange
from consultations.models import Resolution, SessionState
from consultations.tests.attendance_testing import make_session
from consultations.tests.minutes_testing import make_closed_poll, make_resolution
from villagegov.models import Body, Person, Role, RoleAssignment, User, Village
from villagegov.testing import council_of, make_person

_numbers = itertools.count(1)
JOINED_ON = date(2020, 1, 1)


def recorder() -> User:
    """An account to stand as `recorded_by` of rows made by the builders."""
    return User.objects.create_user(username=f"members-recorder-{next(_numbers)}")


def make_collective(village: Village) -> Collective:
    """The village's collective (created with its defaults if it has none)."""
    collective, _created = Collective.objects.get_or_create(
        village=village, defaults={"name": f"{village.name}股份经济联合社"}
    )
    return collective


def make_member(
    village: Village,
    person: Person | None = None,
    *,
    shares: Decimal | int | str = Decimal("1.00"),
    number: int | None = None,
    joined_on: date = JOINED_ON,
    join_reason: str = JoinReason.FOUNDING,
    left_on: date | None = None,
    leave_reason: str = "",
    confirmed_by: Resolution | None = None,
    recorded_by: User | None = None,
) -> Membership:
    """A membership of `person` (a new villager if None) with `shares` since `joined_on`, member
    number `number` (the village's next if None), its COLLECTIVE_MEMBER role term and its initial
    ShareChange (0 → shares). Left on `left_on` (reason "other" unless given) if set."""
    person = person or make_person(village)
    user = recorded_by or recorder()
    shares = Decimal(shares).quantize(Decimal("0.01"))
    if number is None:
        highest = Membership.objects.filter(village=village).aggregate(highest=Max("number"))["highest"]
        number = (highest or 0) + 1
    if left_on is not None and not leave_reason:
        leave_reason = "other"
    term = RoleAssignment.objects.create(
        person=person, role=Role.COLLECTIVE_MEMBER, starts_on=joined_on, ends_on=left_on
    )
    now = timezone.now()
    membership = Membership.objects.create(
        village=village,
        person=person,
        number=number,
        role_term=term,
        shares=shares,
        joined_on=joined_on,
        join_reason=join_reason,
        left_on=left_on,
        leave_reason=leave_reason,
        confirmed_by=confirmed_by,
        recorded_by=user,
        recorded_at=now,
    )
    ShareChange.objects.create(
        membership=membership,
        effective_on=joined_on,
        shares_before=Decimal("0.00"),
        shares_after=shares,
        reason="入社",
        resolution=confirmed_by,
        recorded_by=user,
        recorded_at=now,
    )
    return membership


def change_shares(
    membership: Membership,
    shares: Decimal | int | str,
    *,
    effective_on: date,
    reason: str = "调整股份",
    recorded_by: User | None = None,
) -> ShareChange:
    """A line of `membership`'s share history (made with the model) and its current shares."""
    shares = Decimal(shares).quantize(Decimal("0.01"))
    change = ShareChange.objects.create(
        membership=membership,
        effective_on=effective_on,
        shares_before=membership.shares,
        shares_after=shares,
        reason=reason,
        recorded_by=recorded_by or membership.recorded_by,
        recorded_at=timezone.now(),
    )
    membership.shares = shares
    membership.save(update_fields=["shares"])
    return change


def confirming_resolution(
    village: Village,
    *,
    body: Body = Body.MEMBERS_ASSEMBLY,
    published: bool = True,
    passed: bool = True,
    title: str = "关于确认集体经济组织成员的决议",
) -> Resolution:
    """A resolution of the village's 成员大会 (or `body`) from a closed vote that passed (unless
    `passed=False`), published unless asked otherwise."""
    session = make_session(council_of(village, body), state=SessionState.CLOSED)
    poll = make_closed_poll(session, question="确认集体经济组织成员", passed=passed)
    resolution = make_resolution(poll, published_by=session.created_by if published else None)
    resolution.title = title
    resolution.save(update_fields=["title"])
    return resolution
