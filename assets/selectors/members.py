"""Reads of the collective's members and their shares."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, DecimalField, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from assets.models import Allocation, Collective, Membership, ShareChange
from assets.values import ZERO, digits
from consultations.models import Resolution
from villagegov.models import Body, Person, Village


@dataclass(frozen=True)
class MemberShares:
    membership: Membership
    shares: Decimal


def register_on(village: Village, *, day: date) -> list[MemberShares]:
    """The share register on `day`: memberships open that day with the shares their history gives
    them then (the last change effective on or before it), holders of shares only, by member number.
    Two queries whatever the number of members."""
    memberships = list(
        Membership.objects.filter(
            Q(left_on__isnull=True) | Q(left_on__gt=day), village=village, joined_on__lte=day
        )
        .select_related("person")
        .order_by("number")
    )
    shares_on_day: dict[int, Decimal] = {}
    changes = (
        ShareChange.objects.filter(membership__village=village, effective_on__lte=day)
        .order_by("membership_id", "effective_on", "id")
        .values_list("membership_id", "shares_after")
    )
    for membership_id, shares in changes:
        shares_on_day[membership_id] = shares  # the last one wins
    return [
        MemberShares(membership, shares_on_day[membership.pk])
        for membership in memberships
        if shares_on_day.get(membership.pk, Decimal(0)) > 0
    ]


MEMBER_PAGE_SIZE = 50
CONFIRMING_BODIES = (Body.MEMBERS_ASSEMBLY, Body.MEMBERS_REPRESENTATIVES)
# The highest member number: numbers fit the database's integer column well below it.
MAX_MEMBER_NUMBER = 2_000_000_000


class MemberState:
    """The member list's filter: current members, those who left, or everyone."""

    CURRENT = "current"
    LEFT = "left"
    ALL = "all"
    VALUES = (CURRENT, LEFT, ALL)


def collective_of(village: Village) -> Collective | None:
    return Collective.objects.filter(village=village).first()


def confirming_resolutions(village: Village) -> QuerySet[Resolution]:
    """Published resolutions of this village's 成员大会 or 成员代表大会 from a vote that passed:
    those that can confirm a membership or a change of shares."""
    return (
        Resolution.objects.filter(
            published_at__isnull=False,
            poll__passed=True,
            session__council__village=village,
            session__council__body__in=CONFIRMING_BODIES,
        )
        .select_related("session__council")
        .order_by("-session__starts_at", "-pk")
    )


def admit_candidates(village: Village) -> QuerySet[Person]:
    """People on the village's roster (not left) who are not members now."""
    return (
        Person.objects.filter(village=village, left_on__isnull=True)
        .exclude(pk__in=Membership.objects.filter(village=village, left_on__isnull=True).values("person_id"))
        .order_by("name", "pk")
    )


def village_members(
    village: Village, *, query: str = "", state: str = MemberState.CURRENT
) -> QuerySet[Membership]:
    """The village's memberships matching `query` (part of the name, or the member number) in
    `state`, by member number, with their person."""
    memberships = Membership.objects.filter(village=village).select_related("person")
    if state == MemberState.CURRENT:
        memberships = memberships.filter(left_on__isnull=True)
    elif state == MemberState.LEFT:
        memberships = memberships.filter(left_on__isnull=False)
    query = query.strip()
    if query:
        condition = Q(person__name__icontains=query)
        number = digits(query.lstrip("#"))
        if number is not None and number <= MAX_MEMBER_NUMBER:
            condition |= Q(number=number)
        memberships = memberships.filter(condition)
    return memberships.order_by("number")


@dataclass(frozen=True)
class MemberTotals:
    members: int
    shares: Decimal


def member_totals(memberships: QuerySet[Membership]) -> MemberTotals:
    """How many memberships and how many shares in all (one query)."""
    totals = memberships.order_by().aggregate(
        members=Count("pk"),
        shares=Coalesce(
            Sum("shares"), Value(ZERO), output_field=DecimalField(max_digits=14, decimal_places=2)
        ),
    )
    return MemberTotals(totals["members"], totals["shares"])


def village_membership(village: Village, membership_id: int) -> Membership | None:
    """One membership of the village (None for another village's), with what its page shows."""
    return (
        Membership.objects.filter(village=village, pk=membership_id)
        .select_related("person", "confirmed_by__session__council", "recorded_by", "role_term")
        .first()
    )


def share_history(membership: Membership) -> list[ShareChange]:
    """The membership's share changes, oldest first."""
    return list(
        ShareChange.objects.filter(membership=membership)
        .select_related("resolution", "recorded_by")
        .order_by("effective_on", "id")
    )


def last_share_change(membership: Membership) -> ShareChange | None:
    return ShareChange.objects.filter(membership=membership).order_by("-effective_on", "-id").first()


def memberships_of(village: Village, person: Person) -> list[Membership]:
    """`person`'s memberships of the village, newest first, with their share history and their
    allocations in published plans (with the plan and any payment)."""
    published = (
        Allocation.objects.filter(plan__published_at__isnull=False, plan__village=village)
        .select_related("plan", "payment")
        .order_by("-plan__year", "-plan__pk")
    )
    return list(
        Membership.objects.filter(village=village, person=person)
        .select_related("confirmed_by")
        .prefetch_related(
            Prefetch(
                "share_changes",
                queryset=ShareChange.objects.select_related("resolution").order_by("effective_on", "id"),
            ),
            Prefetch("allocations", queryset=published, to_attr="published_allocations"),
        )
        .order_by("-joined_on", "-pk")
    )
