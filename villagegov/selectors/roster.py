"""Reads of the village roster, always scoped to one village."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from villagegov.models import (
    CouncilSeat,
    Gender,
    Household,
    Kinship,
    Person,
    Role,
    RoleAssignment,
    Village,
    VillagerGroup,
)
from villagegov.models.councils import BODY_OF_ROLE, ROLE_OF_SEAT
from villagegov.selectors.terms import in_force_on

ADULT_AGE = 18


def terms_in_force(day: date) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(in_force_on(day))


def role_seats_in_force(day: date) -> QuerySet[CouncilSeat]:
    """Seats in force on `day` on the councils whose seats are roles (see ROLE_OF_SEAT), in the
    holder's own village."""
    return CouncilSeat.objects.filter(
        in_force_on(day), council__body__in=ROLE_OF_SEAT, council__village=F("person__village")
    )


def on_roster_on(day: date, *, via: str = "") -> Q:
    """On the roster that day; the leaving day itself still counts, as do role terms ending on it.
    `via` reaches the person through a relation (for example "person__")."""
    return Q(**{f"{via}joined_on__lte": day}) & (
        Q(**{f"{via}left_on__isnull": True}) | Q(**{f"{via}left_on__gte": day})
    )


def holding_role(role: Role, day: date, *, person: str = "pk") -> Q:
    """Whether the person the outer query's `person` column names held `role` on `day`."""
    if role == Role.HOUSEHOLD_HEAD:
        # Households keep only their current head, so this is today's answer whatever the day.
        return Q(Exists(Household.objects.filter(head=OuterRef(person))))
    if role in BODY_OF_ROLE:
        seats = role_seats_in_force(day).filter(person=OuterRef(person), council__body=BODY_OF_ROLE[role])
        return Q(Exists(seats))
    holds = Q(Exists(terms_in_force(day).filter(person=OuterRef(person), role=role)))
    if role == Role.RESIDENT:
        holds |= Q(is_registered_resident=True)
    return holds


def _with_current_terms(people: QuerySet[Person], day: date) -> QuerySet[Person]:
    """Today's role terms as `current_terms` and seats that are roles as `current_role_seats`."""
    return people.prefetch_related(
        Prefetch("role_assignments", queryset=terms_in_force(day).order_by("role"), to_attr="current_terms"),
        Prefetch(
            "council_seats",
            queryset=role_seats_in_force(day).select_related("council").order_by("council__body"),
            to_attr="current_role_seats",
        ),
    )


def people_search(
    village: Village,
    *,
    query: str = "",
    group: VillagerGroup | None = None,
    role: Role | None = None,
    include_left: bool = False,
) -> QuerySet[Person]:
    """The roster list: name or phone containing `query`, with household, group and today's
    role terms (as `current_terms`) loaded."""
    today = timezone.localdate()
    people = Person.objects.filter(village=village).select_related("household__group", "user")
    if not include_left:
        people = people.filter(left_on__isnull=True)
    query = query.strip()
    if query:
        # Phones are stored without spaces or dashes (services.roster.normalise_phone).
        digits = query.replace(" ", "").replace("-", "")
        people = people.filter(Q(name__icontains=query) | Q(phone__contains=digits))
    if group is not None:
        people = people.filter(household__group=group)
    if role is not None:
        people = people.filter(holding_role(role, today))
    return _with_current_terms(people, today).order_by("name", "pk")


def people_with_role(village: Village, role: Role, *, on: date | None = None) -> QuerySet[Person]:
    """People on the roster on `on` (default today) who held `role` that day."""
    day = on or timezone.localdate()
    return Person.objects.filter(village=village).filter(on_roster_on(day), holding_role(role, day))


def adult_born_on_or_before(day: date) -> date:
    """The latest birth date of someone aged ADULT_AGE on `day` (Person.age_on's rule for 29 February)."""
    try:
        return day.replace(year=day.year - ADULT_AGE)
    except ValueError:
        return date(day.year - ADULT_AGE, 2, 28)


def adults(village: Village, *, on: date) -> QuerySet[Person]:
    """Registered residents on the roster on `on` and aged 18 or more that day.

    People without a recorded birth date count as adults: such entries are adults registered by
    hand, and counting them keeps a quorum's denominator (villagers aged 18+) from ever being too
    small, so a meeting is never declared quorate on a short count.
    """
    return Person.objects.filter(village=village, is_registered_resident=True).filter(
        on_roster_on(on), Q(birth_date__isnull=True) | Q(birth_date__lte=adult_born_on_or_before(on))
    )


def counted_households(village: Village, *, on: date) -> QuerySet[Household]:
    """Households with at least one registered villager on the roster on `on`: the households a
    quorum counts, since a household whose members have all left has no one to represent it."""
    members = Person.objects.filter(household=OuterRef("pk"), is_registered_resident=True)
    return Household.objects.filter(village=village).filter(Exists(members.filter(on_roster_on(on))))


@dataclass(frozen=True)
class RosterCounts:
    groups: int
    households: int  # as `counted_households()` counts them
    people: int  # on the roster today, registered or not
    adults: int  # as `adults()` counts them
    women: int  # women on the roster today, any age


def roster_counts(village: Village) -> RosterCounts:
    today = timezone.localdate()
    people = Person.objects.filter(village=village).filter(on_roster_on(today))
    totals = people.aggregate(
        people=Count("pk"),
        women=Count("pk", filter=Q(gender=Gender.FEMALE)),
        adults=Count(
            "pk",
            filter=Q(is_registered_resident=True)
            & (Q(birth_date__isnull=True) | Q(birth_date__lte=adult_born_on_or_before(today))),
        ),
    )
    return RosterCounts(
        groups=VillagerGroup.objects.filter(village=village).count(),
        households=counted_households(village, on=today).count(),
        people=totals["people"],
        adults=totals["adults"],
        women=totals["women"],
    )


def close_relatives(person: Person) -> set[Person]:
    """Declared close relatives (近亲属), whether or not they are still on the roster."""
    kin = Kinship.objects.filter(person=person, relative__village=person.village_id).select_related(
        "relative"
    )
    return {kinship.relative for kinship in kin}


def person_detail_data(person: Person) -> tuple[list[RoleAssignment], list[Kinship]]:
    """A person's role terms (newest first) and declared kinship, for their roster page."""
    terms = list(RoleAssignment.objects.filter(person=person).order_by("-starts_on", "role"))
    kin = list(
        Kinship.objects.filter(person=person, relative__village=person.village_id)
        .select_related("relative")
        .order_by("relation", "relative__name")
    )
    return terms, kin


def person_seats(person: Person) -> list[CouncilSeat]:
    """Every council seat the person held or holds (newest first), for their roster page."""
    return list(
        CouncilSeat.objects.filter(person=person, council__village=person.village_id)
        .select_related("council")
        .order_by("-starts_on", "council__name")
    )


def relative_choices(person: Person) -> QuerySet[Person]:
    """Who may be declared `person`'s relative: others on the same village's roster."""
    return (
        Person.objects.filter(village=person.village_id, left_on__isnull=True)
        .exclude(pk=person.pk)
        .order_by("name", "pk")
    )


def groups_with_counts(village: Village) -> QuerySet[VillagerGroup]:
    """Groups with `household_count` and `people_count` (people on the roster today)."""
    return VillagerGroup.objects.filter(village=village).annotate(
        household_count=Count("households", distinct=True),
        people_count=Count(
            "households__members", filter=Q(households__members__left_on__isnull=True), distinct=True
        ),
    )


def households_for_list(village: Village, *, group: VillagerGroup | None = None) -> QuerySet[Household]:
    """Households by group, with head and `member_count` (members on the roster today)."""
    households = (
        Household.objects.filter(village=village)
        .select_related("group", "head")
        .annotate(member_count=Count("members", filter=Q(members__left_on__isnull=True)))
    )
    if group is not None:
        households = households.filter(group=group)
    return households.order_by(F("group__number").asc(nulls_last=True), "number")


def household_members(household: Household) -> QuerySet[Person]:
    """Everyone recorded in the household, current members first."""
    return Person.objects.filter(village=household.village_id, household=household).order_by(
        F("left_on").asc(nulls_first=True), "name", "pk"
    )
