"""Reads of contracts (承包/租赁合同): the resolutions that may approve one, a contract's position
(what fell due, what was received, the arrears, exact to the fen), and the village's contracts in
arrears or about to expire.

Receipts are applied to the instalments in the order they fall due, whatever day they came: a
payment first clears the oldest instalment still owed. After an early termination, instalments
due after the day it ended are no longer owed."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import cast

from django.db.models import (
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from assets.models import Asset, AssetStatus, Contract, ContractKind, LandParcel, RentInstalment, RentReceipt
from assets.values import ZERO, money_sum
from consultations.matters import DECIDED_BY, Matter
from consultations.models import MotionItem, PollState, Resolution
from consultations.selectors.agenda import matter_refusal
from villagegov.models import Village

CONTRACT_PAGE_SIZE = 20
EXPIRING_DAYS = 90
MONEY: "DecimalField[Decimal, Decimal]" = DecimalField(max_digits=16, decimal_places=2)
# Arrears are whole fen: "more than half a fen" is "more than zero" exactly on PostgreSQL, and on
# SQLite too, whose sums are binary floats a hair off (0.00999… for one fen).
SOME_ARREARS = Decimal("0.005")

# The matters whose resolution approves a new contract of each kind (Organic Law Art. 24): leasing
# is a disposal of collective property; contracting of land may also follow the land-contracting plan.
APPROVING_MATTERS: dict[str, tuple[Matter, ...]] = {
    ContractKind.LEASE: (Matter.PROPERTY_DISPOSAL,),
    ContractKind.CONTRACTING: (Matter.PROPERTY_DISPOSAL, Matter.LAND_CONTRACTING_PLAN),
}


def matters_for(kind: str, asset: Asset | None) -> tuple[Matter, ...]:
    """The matters a resolution approving a contract of `kind` on `asset` may be about: the
    land-contracting plan counts only for contracting out land."""
    matters = APPROVING_MATTERS.get(kind, (Matter.PROPERTY_DISPOSAL,))
    if Matter.LAND_CONTRACTING_PLAN in matters and not (
        asset is None or LandParcel.objects.filter(pk=asset.pk).exists()
    ):
        return (Matter.PROPERTY_DISPOSAL,)
    return matters


def approving_resolutions(
    village: Village, *, kind: str = "", asset: Asset | None = None
) -> list[Resolution]:
    """The village's published resolutions from passed votes on a motion about disposing of
    collective property (or the land-contracting plan, for contracting: `matters_for`), decided by
    a body that may decide it: those a new contract may name. Newest first."""
    matters = matters_for(kind, asset) if kind else (Matter.PROPERTY_DISPOSAL, Matter.LAND_CONTRACTING_PLAN)
    motions = MotionItem.objects.filter(pk=OuterRef("poll__item_id"), matter__in=[m.value for m in matters])
    candidates = (
        Resolution.objects.filter(
            session__council__village=village,
            published_at__isnull=False,
            poll__state=PollState.CLOSED,
            poll__passed=True,
        )
        .filter(Exists(motions))
        .annotate(
            matter=Subquery(MotionItem.objects.filter(pk=OuterRef("poll__item_id")).values("matter")[:1])
        )
        .select_related("session__council", "poll")
        .order_by("-published_at", "-id")
    )
    rows = list(candidates)
    if not rows:
        return []
    return [
        resolution
        for resolution in rows
        if matter_refusal(
            council=resolution.session.council,
            matter=resolution.matter,
            # The delegation that counts is the one in force when the body voted.
            on=timezone.localdate(resolution.poll.closed_at) if resolution.poll.closed_at else None,
        )
        is None
    ]


def resolution_refusal(
    resolution: Resolution | None, *, village: Village, kind: str, asset: Asset | None
) -> str | None:
    """Why `resolution` cannot approve a new contract of `kind` on `asset` in `village`, naming the
    article; None if it can. The one rule of the form's list and of the service."""
    citation = DECIDED_BY[Matter.PROPERTY_DISPOSAL].citation
    needed = _(
        "A new lease or contracting of collective property needs the resolution that approved it: a "
        "published resolution of this village, from a passed vote on a motion about %(matter)s, by a "
        "body that may decide it (%(citation)s). Choose that resolution."
    ) % {"matter": Matter.PROPERTY_DISPOSAL.label, "citation": citation}
    if resolution is None:
        return needed
    fresh = (
        Resolution.objects.filter(pk=resolution.pk, session__council__village=village)
        .select_related("session__council", "poll")
        .first()
    )
    if fresh is None or fresh.published_at is None:
        return needed
    poll = fresh.poll
    if poll.state != PollState.CLOSED or poll.passed is not True:
        return needed
    matter = MotionItem.objects.filter(pk=poll.item_id).values_list("matter", flat=True).first()
    if matter is None or matter not in [m.value for m in matters_for(kind, asset)]:
        return needed
    voted_on = timezone.localdate(poll.closed_at) if poll.closed_at else None
    refusal = matter_refusal(council=fresh.session.council, matter=matter, on=voted_on)
    if refusal is not None:
        return f"{needed} {refusal}"
    return None


# ---------------------------------------------------------------------------------------------
# A contract's position.


def owed_instalments(contract: Contract) -> QuerySet[RentInstalment]:
    """The schedule's instalments still owed: after a termination, not those due after it."""
    instalments = RentInstalment.objects.filter(contract=contract)
    if contract.terminated_on is not None:
        instalments = instalments.filter(due_on__lte=contract.terminated_on)
    return instalments.order_by("due_on", "id")


PAID = "paid"
PARTLY_PAID = "partly_paid"
OVERDUE = "overdue"
UPCOMING = "upcoming"
CANCELLED = "cancelled"


@dataclass(frozen=True)
class InstalmentLine:
    instalment: RentInstalment
    paid: Decimal
    outstanding: Decimal
    state: str  # PAID, PARTLY_PAID, OVERDUE, UPCOMING, or CANCELLED (due after a termination)


@dataclass(frozen=True)
class ContractPosition:
    contract: Contract
    on: date
    lines: list[InstalmentLine]
    total: Decimal  # the whole schedule still owed (after a termination, up to its day)
    due: Decimal  # fallen due on or before `on`
    received: Decimal  # received on or before `on`
    arrears: Decimal  # fallen due before `on` and not received
    balance: Decimal  # still to be received over the whole schedule (not below zero)
    credit: Decimal  # received beyond the whole schedule (after a termination: to refund)


def allocate(amounts: list[Decimal], received: Decimal) -> list[Decimal]:
    """What of `received` goes to each amount, in order: each is paid in full before the next."""
    paid = []
    left = received
    for amount in amounts:
        part = min(amount, max(left, ZERO))
        paid.append(part)
        left -= part
    return paid


def contract_position(contract: Contract, *, on: date | None = None) -> ContractPosition:
    """Each instalment with what was paid of it and its state on `on` (today): paid, partly paid,
    overdue (due before `on` and not fully paid) or upcoming; the total fallen due by `on`, the
    rent received by `on`, the arrears (due before `on`, not received), the balance still owed
    over the whole schedule and any credit. Two queries."""
    day = on or timezone.localdate()
    instalments = list(RentInstalment.objects.filter(contract=contract).order_by("due_on", "id"))
    received = RentReceipt.objects.filter(contract=contract, received_on__lte=day).aggregate(
        total=money_sum("amount")
    )["total"]
    cut = contract.terminated_on
    owed = [i for i in instalments if cut is None or i.due_on <= cut]
    paid = allocate([i.amount for i in owed], received)
    lines = []
    for instalment, part in zip(owed, paid, strict=True):
        outstanding = instalment.amount - part
        if outstanding == 0:
            state = PAID
        elif instalment.due_on < day:
            state = OVERDUE
        elif part > 0:
            state = PARTLY_PAID
        else:
            state = UPCOMING
        lines.append(InstalmentLine(instalment, part, outstanding, state))
    lines.extend(
        InstalmentLine(i, ZERO, ZERO, CANCELLED) for i in instalments if cut is not None and i.due_on > cut
    )
    total = sum((i.amount for i in owed), ZERO)
    past_due = sum((i.amount for i in owed if i.due_on < day), ZERO)
    return ContractPosition(
        contract=contract,
        on=day,
        lines=lines,
        total=total,
        due=sum((i.amount for i in owed if i.due_on <= day), ZERO),
        received=received,
        arrears=max(past_due - received, ZERO),
        balance=max(total - received, ZERO),
        credit=max(received - total, ZERO),
    )


def still_owed(contract: Contract) -> Decimal:
    """What the counterparty still owes over the whole schedule, counting every receipt recorded
    (a receipt may not exceed it)."""
    total = owed_instalments(contract).aggregate(total=money_sum("amount"))["total"]
    received = RentReceipt.objects.filter(contract=contract).aggregate(total=money_sum("amount"))["total"]
    return max(total - received, ZERO)


# ---------------------------------------------------------------------------------------------
# The village's contracts.


def _owed_filter() -> Q:
    """Instalments still owed (not due after the contract's termination), for a subquery."""
    return Q(contract__terminated_on__isnull=True) | Q(due_on__lte=F("contract__terminated_on"))


def with_amounts(contracts: QuerySet[Contract], *, on: date) -> QuerySet[Contract]:
    """Annotate each contract with `past_due` (owed instalments due before `on`), `received`
    (receipts up to `on`), and `arrears_approx` (the first less the second, to filter and sort
    by; `arrears_of` gives it exact): one query for any number."""
    past_due = (
        RentInstalment.objects.filter(_owed_filter(), contract=OuterRef("pk"), due_on__lt=on)
        .order_by()
        .values("contract")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    received = (
        RentReceipt.objects.filter(contract=OuterRef("pk"), received_on__lte=on)
        .order_by()
        .values("contract")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return contracts.annotate(
        past_due=Coalesce(Subquery(past_due, output_field=MONEY), Value(ZERO), output_field=MONEY),
        received=Coalesce(Subquery(received, output_field=MONEY), Value(ZERO), output_field=MONEY),
    ).annotate(arrears_approx=ExpressionWrapper(F("past_due") - F("received"), output_field=MONEY))


def village_contracts(village: Village) -> QuerySet[Contract]:
    return Contract.objects.filter(village=village).select_related("asset")


def village_contract(village: Village, contract_id: int) -> Contract | None:
    return (
        Contract.objects.filter(village=village, pk=contract_id)
        .select_related("asset", "resolution", "created_by")
        .first()
    )


def running(on: date) -> Q:
    """Contracts not over on `on`: not terminated before it, term not ended (those starting later count)."""
    return (Q(terminated_on__isnull=True) | Q(terminated_on__gte=on)) & Q(ends_on__gte=on)


CONTRACT_FILTERS = ("active", "ended", "arrears", "expiring")


def contract_rows(village: Village, *, state: str = "", on: date | None = None) -> QuerySet[Contract]:
    """The village's contracts with their amounts (`with_amounts`), filtered by `state`: "active"
    (not over), "ended" (term ended or terminated), "arrears" (rent due and not received),
    "expiring" (ending within EXPIRING_DAYS, not terminated); newest first."""
    day = on or timezone.localdate()
    contracts = with_amounts(village_contracts(village), on=day)
    if state == "active":
        contracts = contracts.filter(running(day))
    elif state == "ended":
        contracts = contracts.exclude(running(day))
    elif state == "arrears":
        contracts = contracts.filter(arrears_approx__gte=SOME_ARREARS)  # type: ignore[misc]
    elif state == "expiring":
        contracts = contracts.filter(
            terminated_on__isnull=True, ends_on__gte=day, ends_on__lte=day + timedelta(days=EXPIRING_DAYS)
        )
    return contracts.order_by("-starts_on", "number", "pk")


@dataclass(frozen=True)
class ContractArrears:
    contract: Contract
    arrears: Decimal


@dataclass(frozen=True)
class ContractExpiring:
    contract: Contract
    ends_on: date


def contracts_in_arrears(village: Village, *, on: date | None = None) -> list[ContractArrears]:
    """The village's contracts with rent due before `on` and not received by then, largest
    arrears first. One query."""
    day = on or timezone.localdate()
    rows = (
        with_amounts(village_contracts(village), on=day)
        .filter(arrears_approx__gte=SOME_ARREARS)  # type: ignore[misc]
        .order_by("-arrears_approx", "number", "pk")
    )
    return [ContractArrears(contract=c, arrears=arrears_of(c)) for c in rows]


def arrears_of(contract: Contract) -> Decimal:
    """The exact arrears of a contract annotated by `with_amounts` (its sums are exact; the
    difference the database computed may be a float on SQLite)."""
    return max(contract.past_due - contract.received, ZERO)  # type: ignore[attr-defined]


def contracts_expiring(
    village: Village, *, on: date | None = None, days: int = EXPIRING_DAYS
) -> list[ContractExpiring]:
    """The village's contracts, not terminated, whose term ends within `days` of `on` (from `on`
    on), soonest first. One query."""
    day = on or timezone.localdate()
    rows = (
        village_contracts(village)
        .filter(terminated_on__isnull=True, ends_on__gte=day, ends_on__lte=day + timedelta(days=days))
        .order_by("ends_on", "number", "pk")
    )
    return [ContractExpiring(contract=c, ends_on=c.ends_on) for c in rows]


def contract_state(contract: Contract, *, on: date | None = None) -> str:
    """ "upcoming" (starts later), "active", "terminated" or "ended", for badges."""
    day = on or timezone.localdate()
    if contract.terminated_on is not None and contract.terminated_on < day:
        return "terminated"
    if contract.ends_on < day:
        return "ended"
    if contract.starts_on > day:
        return "upcoming"
    return "active"


def leasable_assets(village: Village) -> QuerySet[Asset]:
    """The assets a new contract may be on: of this village, not disposed of."""
    return (
        cast(QuerySet[Asset], Asset.objects.non_polymorphic())
        .filter(village=village)
        .exclude(status=AssetStatus.DISPOSED)
        .order_by("code", "pk")
    )
