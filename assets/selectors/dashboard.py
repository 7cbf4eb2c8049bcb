"""The collective's dashboard: one look at members, assets, rent, the books and distributions."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from assets.charts import Chart, ChartBar, ChartGroup, bar_chart
from assets.models import Collective, DistributionPlan, Membership, Voucher, VoucherState
from assets.selectors.contracts import (
    ContractArrears,
    ContractExpiring,
    contracts_expiring,
    contracts_in_arrears,
)
from assets.selectors.distributions import visible_plans
from assets.selectors.ledger import CASH_CODES, account_figures, vouchers_awaiting_review, year_result
from assets.selectors.members import MemberTotals, member_totals
from assets.selectors.register import RegisterTotals, register_totals, village_assets
from villagegov.models import Village

LISTED = 5  # contracts shown in each alert list; the link leads to all of them


@dataclass(frozen=True)
class CollectiveOverview:
    collective: Collective | None
    members: MemberTotals
    register: RegisterTotals
    composition: Chart
    arrears: list[ContractArrears]
    arrears_total: Decimal
    expiring: list[ContractExpiring]
    vouchers_awaiting_review: int
    vouchers_in_draft: int
    cash: list[tuple[str, Decimal]]
    year: int
    result_so_far: Decimal
    plans: list[DistributionPlan]


def collective_overview(village: Village, *, on: date) -> CollectiveOverview:
    """What the dashboard shows on `on`; a bounded number of queries whatever the village's size."""
    register = register_totals(village_assets(village))
    composition = bar_chart(
        [
            ChartGroup(line.label, [ChartBar(line.label, line.current, line.key)])
            for line in register.by_category
        ]
    )
    arrears = contracts_in_arrears(village, on=on)
    cash = [
        (str(figure.account), figure.balance)
        for figure in account_figures(village, start=None, end=on)
        if figure.depth == 0 and figure.account.code in CASH_CODES
    ]
    return CollectiveOverview(
        collective=Collective.objects.filter(village=village).first(),
        members=member_totals(Membership.objects.filter(village=village, left_on__isnull=True)),
        register=register,
        composition=composition,
        arrears=arrears[:LISTED],
        arrears_total=sum((line.arrears for line in arrears), Decimal("0.00")),
        expiring=contracts_expiring(village, on=on)[:LISTED],
        vouchers_awaiting_review=vouchers_awaiting_review(village),
        vouchers_in_draft=Voucher.objects.filter(village=village, state=VoucherState.DRAFT).count(),
        cash=cash,
        year=on.year,
        result_so_far=year_result(village, on.year),
        plans=list(visible_plans(village, sees_drafts=True)[:3]),
    )
