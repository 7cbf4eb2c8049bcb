"""Reads about councils: who belongs to them on a day, the totals their thresholds count
against, their composition, and their rules in words."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, Q, QuerySet, Value, When

from villagegov import thresholds
from villagegov.models import (
    Basis,
    Body,
    BodyRule,
    Council,
    CouncilSeat,
    Counted,
    Gender,
    Person,
    Purpose,
    Role,
    RuleSet,
    SeatPosition,
    Village,
)
from villagegov.selectors.roster import (
    adults,
    counted_households,
    holding_role,
    on_roster_on,
    people_with_role,
)
from villagegov.selectors.terms import in_force_on


def seat_in_force(*, on: date) -> Q:
    """Seats whose term covers `on`, held by someone on the roster that day."""
    return in_force_on(on) & on_roster_on(on, via="person__")


def village_councils(village: Village) -> QuerySet[Council]:
    return Council.objects.filter(village=village).select_related("group")


POSITION_ORDER = Case(
    *(When(position=position, then=Value(rank)) for rank, position in enumerate(SeatPosition.values)),
    default=Value(len(SeatPosition.values)),
)


def council_seats(council: Council) -> QuerySet[CouncilSeat]:
    """Every seat of the council, current and past, chair first, for the members' table."""
    return (
        CouncilSeat.objects.filter(council=council)
        .select_related("person")
        .order_by(POSITION_ORDER, "-starts_on", "person__name")
    )


def council_members(council: Council, *, on: date) -> QuerySet[Person]:
    """The members on `on`: derived from the roster for the assemblies, from seats otherwise."""
    village = council.village
    if council.body == Body.VILLAGERS_ASSEMBLY:
        return adults(village, on=on)
    if council.body == Body.VILLAGER_GROUP_MEETING:
        return adults(village, on=on).filter(household__group_id=council.group_id)
    if council.body == Body.MEMBERS_ASSEMBLY:
        return people_with_role(village, Role.COLLECTIVE_MEMBER, on=on)
    seated = CouncilSeat.objects.filter(seat_in_force(on=on), council=council).values("person_id")
    return Person.objects.filter(village=village, pk__in=seated)


def council_totals(council: Council, *, on: date) -> dict[str, int]:
    """Every basis a threshold of this council is measured against, except attendees and
    votes, which come from the meeting. Group totals only for a villager group meeting, so
    that a group threshold can never be evaluated against a wrong total."""
    village = council.village
    totals = {
        Basis.ADULT_VILLAGERS.value: adults(village, on=on).count(),
        Basis.HOUSEHOLDS.value: counted_households(village, on=on).count(),
        Basis.REPRESENTATIVES.value: people_with_role(village, Role.REPRESENTATIVE, on=on).count(),
        Basis.ALL_MEMBERS.value: council_members(council, on=on).count(),
    }
    if council.group_id is not None:
        totals[Basis.GROUP_ADULTS.value] = (
            adults(village, on=on).filter(household__group_id=council.group_id).count()
        )
        totals[Basis.GROUP_HOUSEHOLDS.value] = (
            counted_households(village, on=on).filter(group_id=council.group_id).count()
        )
    return totals


def _composition(
    body_rule: BodyRule | None, *, members: int, women: int, representatives: int
) -> thresholds.Outcome:
    return thresholds.evaluate(
        body_rule.thresholds.all() if body_rule is not None else [],
        purpose=Purpose.COMPOSITION,
        counts={Counted.REPRESENTATIVES.value: representatives, Counted.WOMEN.value: women},
        totals={Basis.ALL_MEMBERS.value: members},
    )


def council_composition(council: Council, *, on: date) -> thresholds.Outcome:
    """The composition rules (representatives' meeting: representatives ≥ 4/5 and women ≥ 1/3
    of ALL members, village-committee members included). Met with no figures where the rule
    set has none for this body."""
    members = council_members(council, on=on)
    figures = members.aggregate(
        members=Count("pk"),
        women=Count("pk", filter=Q(gender=Gender.FEMALE)),
        representatives=Count("pk", filter=holding_role(Role.REPRESENTATIVE, on)),
    )
    return _composition(council.body_rule, **figures)


@dataclass(frozen=True)
class CouncilSummary:
    council: Council
    member_count: int
    composition: thresholds.Outcome

    @property
    def composition_applies(self) -> bool:
        return bool(self.composition.figures) and self.member_count > 0


def council_summaries(village: Village, *, on: date) -> list[CouncilSummary]:
    """Every council with its member count and composition, in a fixed number of queries."""
    body_order = {body.value: rank for rank, body in enumerate(Body)}
    councils = sorted(
        village_councils(village),
        key=lambda c: (body_order.get(c.body, len(body_order)), c.group.number if c.group else 0, c.name),
    )
    body_rules = {
        rule.body: rule
        for rule in BodyRule.objects.filter(rule_set_id=village.rule_set_id).prefetch_related("thresholds")
    }
    bodies = {council.body for council in councils}
    village_adults = adults(village, on=on).count() if Body.VILLAGERS_ASSEMBLY in bodies else 0
    adults_by_group: Counter[int] = Counter()
    if Body.VILLAGER_GROUP_MEETING in bodies:
        rows = adults(village, on=on).values("household__group_id").annotate(n=Count("pk"))
        adults_by_group.update({row["household__group_id"]: row["n"] for row in rows})
    collective_members = (
        people_with_role(village, Role.COLLECTIVE_MEMBER, on=on).count()
        if Body.MEMBERS_ASSEMBLY in bodies
        else 0
    )
    representative = holding_role(Role.REPRESENTATIVE, on, person="person")
    seated = {
        row["council_id"]: row
        for row in CouncilSeat.objects.filter(seat_in_force(on=on), council__village=village)
        .values("council_id")
        .annotate(
            members=Count("person", distinct=True),
            women=Count("person", distinct=True, filter=Q(person__gender=Gender.FEMALE)),
            representatives=Count("person", distinct=True, filter=representative),
        )
    }
    summaries = []
    for council in councils:
        women = representatives = 0
        if council.body == Body.VILLAGERS_ASSEMBLY:
            members = village_adults
        elif council.body == Body.VILLAGER_GROUP_MEETING:
            members = adults_by_group[council.group_id or 0]
        elif council.body == Body.MEMBERS_ASSEMBLY:
            members = collective_members
        else:
            row = seated.get(council.pk, {})
            members, women, representatives = (
                row.get("members", 0),
                row.get("women", 0),
                row.get("representatives", 0),
            )
        composition = (
            _composition(
                body_rules.get(council.body), members=members, women=women, representatives=representatives
            )
            if council.seated
            else thresholds.Outcome(purpose=Purpose.COMPOSITION, met=True, figures=())
        )
        summaries.append(CouncilSummary(council=council, member_count=members, composition=composition))
    return summaries


@dataclass(frozen=True)
class ThresholdLine:
    """One threshold in words, for the rules pages."""

    purpose: str
    fraction: str
    counted: str
    basis: str
    citation: str


@dataclass(frozen=True)
class BodyRules:
    body_rule: BodyRule
    lines: list[ThresholdLine]


PURPOSE_ORDER = {purpose.value: rank for rank, purpose in enumerate(Purpose)}


def describe_thresholds(body_rule: BodyRule) -> list[ThresholdLine]:
    """The body's thresholds in the active language (call it while serving the request),
    in the order of a meeting: quorum, decision, then the rest."""
    ordered = sorted(
        body_rule.thresholds.all(), key=lambda t: (PURPOSE_ORDER.get(t.purpose, len(PURPOSE_ORDER)), t.pk)
    )
    return [
        ThresholdLine(
            purpose=str(Purpose(t.purpose).label),
            fraction=thresholds.fraction_words(
                numerator=t.numerator, denominator=t.denominator, strict=t.strict
            ),
            counted=str(Counted(t.counted).label),
            basis=str(Basis(t.basis).label),
            citation=t.citation,
        )
        for t in ordered
    ]


def council_rules(council: Council) -> BodyRule | None:
    return (
        BodyRule.objects.filter(rule_set_id=council.village.rule_set_id, body=council.body)
        .prefetch_related("thresholds")
        .first()
    )


def rule_set_rules(rule_set: RuleSet) -> list[BodyRules]:
    """Every body rule of the rule set with its thresholds, in the order of the bodies."""
    order = {body.value: index for index, body in enumerate(Body)}
    rules = rule_set.body_rules.prefetch_related("thresholds")
    return [
        BodyRules(body_rule=rule, lines=describe_thresholds(rule))
        for rule in sorted(rules, key=lambda rule: order.get(rule.body, len(order)))
    ]
