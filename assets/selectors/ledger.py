"""Reads of the books, always of posted vouchers unless said otherwise."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils.translation import gettext as _

from assets.models import Account, AccountKind, Side, Voucher, VoucherKind, VoucherLine, VoucherState
from assets.values import ZERO, digits, money_sum
from villagegov.formats import local_date, yuan
from villagegov.models import Village

# 本年收益: the year-end closing (结转本年收益) moves the income and expense accounts' balances
# to it (or its sub-accounts).
YEAR_RESULT_CODE = "321"


def posted_lines(
    village: Village, *, start: date | None = None, end: date | None = None
) -> QuerySet[VoucherLine]:
    """Lines of the village's posted vouchers dated from `start` to `end` (both included)."""
    lines = VoucherLine.objects.filter(voucher__village=village, voucher__state=VoucherState.POSTED)
    if start is not None:
        lines = lines.filter(voucher__date__gte=start)
    if end is not None:
        lines = lines.filter(voucher__date__lte=end)
    return lines


def profit_and_loss_lines(
    village: Village, *, start: date | None = None, end: date | None = None
) -> QuerySet[VoucherLine]:
    """`posted_lines` less the year-end closing: every voucher with a line on 本年收益 (321) or
    its sub-accounts is left out, since closing the income and expense accounts to it (Dr 5xx /
    Cr 321, Dr 321 / Cr 5xx) would bring the year's income and expenditure back to zero."""
    closing = VoucherLine.objects.filter(
        voucher__village=village, account__code__startswith=YEAR_RESULT_CODE
    ).values("voucher_id")
    return posted_lines(village, start=start, end=end).exclude(voucher_id__in=closing)


def year_result(village: Village, year: int) -> Decimal:
    """The year's net income (本年收益): income accounts' credits less debits, less the expense
    accounts' debits less credits, of the vouchers posted for that year (one query). Vouchers
    with a line on 本年收益 (321) — the year-end closing — are left out (`profit_and_loss_lines`):
    the result is the same before and after the year is closed."""
    income = Q(account__kind=AccountKind.INCOME)
    expense = Q(account__kind=AccountKind.EXPENSE)
    totals = profit_and_loss_lines(village, start=date(year, 1, 1), end=date(year, 12, 31)).aggregate(
        income_credit=money_sum("credit", income),
        income_debit=money_sum("debit", income),
        expense_debit=money_sum("debit", expense),
        expense_credit=money_sum("credit", expense),
    )
    return (totals["income_credit"] - totals["income_debit"]) - (
        totals["expense_debit"] - totals["expense_credit"]
    )


# ---------------------------------------------------------------------------------------------
# Vouchers
# ---------------------------------------------------------------------------------------------

VOUCHER_PAGE_SIZE = 25
# The number column's largest value (a 32-bit integer on PostgreSQL): a longer search is text.
MAX_VOUCHER_NUMBER = 2_147_483_647
LEDGER_PAGE_SIZE = 50


@dataclass(frozen=True)
class VoucherFilters:
    state: str = ""
    month: date | None = None  # the first day of the month
    account: Account | None = None
    search: str = ""


def village_voucher(village: Village, voucher_id: int) -> Voucher | None:
    return (
        Voucher.objects.filter(village=village, pk=voucher_id)
        .select_related("village", "created_by", "posted_by", "reverses")
        .first()
    )


def village_account(village: Village, account_id: int) -> Account | None:
    return Account.objects.filter(village=village, pk=account_id).select_related("parent").first()


def village_accounts(village: Village) -> QuerySet[Account]:
    return Account.objects.filter(village=village).order_by("code")


def leaf_accounts(village: Village) -> QuerySet[Account]:
    """The accounts a voucher posts to: in use and without sub-accounts."""
    return village_accounts(village).filter(active=True, children__isnull=True)


def vouchers(village: Village, filters: VoucherFilters | None = None) -> QuerySet[Voucher]:
    """The village's vouchers, newest first, filtered (one query when evaluated)."""
    filters = filters or VoucherFilters()
    found = Voucher.objects.filter(village=village)
    if filters.state:
        found = found.filter(state=filters.state)
    if filters.month is not None:
        found = found.filter(date__year=filters.month.year, date__month=filters.month.month)
    if filters.account is not None:
        found = found.filter(
            pk__in=VoucherLine.objects.filter(
                account__village=village, account__code__startswith=filters.account.code
            ).values("voucher_id")
        )
    if filters.search:
        text = Q(summary__icontains=filters.search) | Q(lines__summary__icontains=filters.search)
        number = digits(filters.search)
        if number is not None and number <= MAX_VOUCHER_NUMBER:
            text |= Q(number=number)
        found = found.filter(pk__in=Voucher.objects.filter(text, village=village).values("pk"))
    return found.select_related("reverses").order_by("-date", "-id")


def vouchers_awaiting_review(village: Village) -> int:
    return Voucher.objects.filter(village=village, state=VoucherState.SUBMITTED).count()


def voucher_lines(voucher: Voucher) -> list[VoucherLine]:
    return list(voucher.lines.select_related("account").order_by("position"))


def reversal_of(voucher: Voucher) -> Voucher | None:
    """The voucher reversing `voucher`, if any."""
    return Voucher.objects.filter(reverses=voucher).first()


# ---------------------------------------------------------------------------------------------
# Balances
# ---------------------------------------------------------------------------------------------


@dataclass
class AccountFigures:
    """One account's figures for a period, in net debit terms (debit minus credit): opening and
    closing balances, and the period's debits and credits. Sub-accounts roll into their parents."""

    account: Account
    depth: int
    opening: Decimal = ZERO
    debit: Decimal = ZERO
    credit: Decimal = ZERO

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit

    @staticmethod
    def _sides(net: Decimal) -> tuple[Decimal, Decimal]:
        return (net, ZERO) if net >= 0 else (ZERO, -net)

    @property
    def opening_debit(self) -> Decimal:
        return self._sides(self.opening)[0]

    @property
    def opening_credit(self) -> Decimal:
        return self._sides(self.opening)[1]

    @property
    def closing_debit(self) -> Decimal:
        return self._sides(self.closing)[0]

    @property
    def closing_credit(self) -> Decimal:
        return self._sides(self.closing)[1]

    @property
    def balance(self) -> Decimal:
        """The closing balance on the account's normal side (negative when on the other side)."""
        return self.closing if self.account.normal_side == Side.DEBIT else -self.closing

    @property
    def active(self) -> bool:
        return bool(self.opening or self.debit or self.credit)


def _depth(account: Account, parent_of: dict[int, int | None]) -> int:
    depth, current = 0, parent_of.get(account.pk)
    while current is not None:
        depth, current = depth + 1, parent_of.get(current)
    return depth


def account_figures(village: Village, *, start: date | None, end: date) -> list[AccountFigures]:
    """Every account of the chart in code order with its figures from `start` to `end` (both
    included): the opening balance is what was posted before `start` and the opening-balance
    voucher (期初余额) if dated by `end`; sub-accounts roll up into their parents (two queries)."""
    accounts = list(village_accounts(village))
    parent_of = {account.pk: account.parent_id for account in accounts}
    figures = {account.pk: AccountFigures(account, _depth(account, parent_of)) for account in accounts}
    opening = Q(voucher__kind=VoucherKind.OPENING)
    if start is not None:
        opening |= Q(voucher__date__lt=start)
    period = ~opening
    sums = (
        posted_lines(village, end=end)
        .values("account_id")
        .annotate(
            opening_debit=money_sum("debit", opening),
            opening_credit=money_sum("credit", opening),
            period_debit=money_sum("debit", period),
            period_credit=money_sum("credit", period),
        )
        .order_by()
    )
    for row in sums:
        account_id: int | None = row["account_id"]
        while account_id is not None:
            figure = figures[account_id]
            figure.opening += row["opening_debit"] - row["opening_credit"]
            figure.debit += row["period_debit"]
            figure.credit += row["period_credit"]
            account_id = parent_of.get(account_id)
    return [figures[account.pk] for account in accounts]


def balances_on(village: Village, *, day: date) -> list[AccountFigures]:
    """The chart with each account's balance at the end of `day`."""
    return account_figures(village, start=None, end=day)


@dataclass
class TrialBalance:
    start: date
    end: date
    rows: list[AccountFigures]
    opening_debit: Decimal
    opening_credit: Decimal
    debit: Decimal
    credit: Decimal
    closing_debit: Decimal
    closing_credit: Decimal

    @property
    def balanced(self) -> bool:
        return (
            self.opening_debit == self.opening_credit
            and self.debit == self.credit
            and self.closing_debit == self.closing_credit
        )


def trial_balance(village: Village, *, start: date, end: date) -> TrialBalance:
    """试算平衡表 from `start` to `end`: the accounts with any figure; totals of the first-level
    accounts (the sub-accounts are in them already)."""
    figures = account_figures(village, start=start, end=end)
    top = [figure for figure in figures if figure.depth == 0]

    def total(name: str) -> Decimal:
        return sum((getattr(figure, name) for figure in top), ZERO)

    return TrialBalance(
        start=start,
        end=end,
        rows=[figure for figure in figures if figure.active],
        opening_debit=total("opening_debit"),
        opening_credit=total("opening_credit"),
        debit=total("debit"),
        credit=total("credit"),
        closing_debit=total("closing_debit"),
        closing_credit=total("closing_credit"),
    )


# ---------------------------------------------------------------------------------------------
# An account's ledger (明细账)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    line: VoucherLine
    balance: Decimal  # after the line, on the account's normal side


def account_lines(account: Account) -> QuerySet[VoucherLine]:
    """The posted lines of `account` and its sub-accounts in the order they count."""
    return (
        posted_lines(account.village)
        .filter(account__code__startswith=account.code)
        .select_related("voucher", "account")
        .order_by("voucher__date", "voucher__year", "voucher__number", "position", "pk")
    )


def ledger_rows(
    account: Account, lines: QuerySet[VoucherLine], *, offset: int, limit: int
) -> list[LedgerRow]:
    """Rows `offset` to `offset + limit` of `lines` with the running balance (two queries: the
    balance carried to the page, and the page)."""
    sign = Decimal(1) if account.normal_side == Side.DEBIT else Decimal(-1)
    carried = ZERO
    if offset:
        before = VoucherLine.objects.filter(pk__in=lines.values("pk")[:offset]).aggregate(
            debit=Coalesce(
                Sum("debit"), Value(ZERO), output_field=DecimalField(max_digits=18, decimal_places=2)
            ),
            credit=Coalesce(
                Sum("credit"), Value(ZERO), output_field=DecimalField(max_digits=18, decimal_places=2)
            ),
        )
        carried = sign * (before["debit"] - before["credit"])
    rows = []
    for line in lines[offset : offset + limit]:
        carried += sign * (line.debit - line.credit)
        rows.append(LedgerRow(line, carried))
    return rows


# ---------------------------------------------------------------------------------------------
# Income and expenditure (收支明细)
# ---------------------------------------------------------------------------------------------

MONTHS = range(1, 13)


@dataclass
class StatementRow:
    code: str
    name: str
    months: list[Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.months, ZERO)


@dataclass
class IncomeStatement:
    year: int
    income: list[StatementRow]
    expense: list[StatementRow]

    @staticmethod
    def _by_month(rows: list[StatementRow]) -> list[Decimal]:
        return [sum((row.months[index] for row in rows), ZERO) for index in range(12)]

    @property
    def income_months(self) -> list[Decimal]:
        return self._by_month(self.income)

    @property
    def expense_months(self) -> list[Decimal]:
        return self._by_month(self.expense)

    @property
    def income_total(self) -> Decimal:
        return sum(self.income_months, ZERO)

    @property
    def expense_total(self) -> Decimal:
        return sum(self.expense_months, ZERO)

    @property
    def result(self) -> Decimal:
        return self.income_total - self.expense_total

    @property
    def month_rows(self) -> list[tuple[int, Decimal, Decimal, Decimal]]:
        return [
            (month, income, expense, income - expense)
            for month, income, expense in zip(MONTHS, self.income_months, self.expense_months, strict=True)
        ]


def income_statement(
    village: Village, year: int, *, start: date | None = None, end: date | None = None
) -> IncomeStatement:
    """The year's income and expenditure month by month by first-level account (two queries);
    `start`/`end` narrow it to part of the year. The year-end closing to 本年收益 is left out, as
    in `year_result`."""
    first_level = {
        account.code: account
        for account in village_accounts(village).filter(
            parent__isnull=True, kind__in=[AccountKind.INCOME, AccountKind.EXPENSE]
        )
    }
    rows: dict[str, StatementRow] = {
        code: StatementRow(code, account.name, [ZERO] * 12) for code, account in first_level.items()
    }
    sums = (
        profit_and_loss_lines(village, start=start or date(year, 1, 1), end=end or date(year, 12, 31))
        .filter(account__kind__in=[AccountKind.INCOME, AccountKind.EXPENSE])
        .annotate(month=ExtractMonth("voucher__date"))
        .values("account__code", "account__kind", "month")
        .annotate(debit=money_sum("debit", Q()), credit=money_sum("credit", Q()))
        .order_by()
    )
    for row in sums:
        statement_row = rows.get(row["account__code"][:3])
        if statement_row is None:
            continue
        net = row["credit"] - row["debit"]
        if row["account__kind"] == AccountKind.EXPENSE:
            net = -net
        statement_row.months[row["month"] - 1] += net
    income = [
        rows[code] for code, account in sorted(first_level.items()) if account.kind == AccountKind.INCOME
    ]
    expense = [
        rows[code] for code, account in sorted(first_level.items()) if account.kind == AccountKind.EXPENSE
    ]
    return IncomeStatement(year, income, expense)


# ---------------------------------------------------------------------------------------------
# The board's finance disclosure
# ---------------------------------------------------------------------------------------------

CASH_CODES = ("101", "102")


@dataclass
class FinanceSummary:
    start: date
    end: date
    income: list[tuple[str, Decimal]]
    expense: list[tuple[str, Decimal]]
    cash: list[tuple[str, Decimal]]

    @property
    def income_total(self) -> Decimal:
        return sum((amount for _name, amount in self.income), ZERO)

    @property
    def expense_total(self) -> Decimal:
        return sum((amount for _name, amount in self.expense), ZERO)

    def as_text(self) -> tuple[str, str]:
        """The board item's title and body, in the active language."""
        period = {"start": local_date(self.start), "end": local_date(self.end)}
        title = _("Finances from %(start)s to %(end)s") % period
        lines = [_("Income and expenditure from %(start)s to %(end)s, from the posted books.") % period, ""]
        lines.append(_("Income: %(total)s") % {"total": yuan(self.income_total)})
        lines += [f"  {name}: {yuan(amount)}" for name, amount in self.income]
        lines.append(_("Expenditure: %(total)s") % {"total": yuan(self.expense_total)})
        lines += [f"  {name}: {yuan(amount)}" for name, amount in self.expense]
        lines.append(
            _("Income less expenditure: %(total)s") % {"total": yuan(self.income_total - self.expense_total)}
        )
        lines.append("")
        lines.append(_("Balances on %(date)s:") % {"date": local_date(self.end)})
        lines += [f"  {name}: {yuan(amount)}" for name, amount in self.cash]
        return title, "\n".join(lines)


def finance_summary(village: Village, *, start: date, end: date) -> FinanceSummary:
    """The period's income and expenditure by first-level account (those with any; the
    year-end closing to 本年收益 left out, as in `year_result`) and the balances of cash on hand
    and bank deposits at its end (three queries)."""
    figures = account_figures(village, start=start, end=end)
    sums = (
        profit_and_loss_lines(village, start=start, end=end)
        .filter(account__kind__in=[AccountKind.INCOME, AccountKind.EXPENSE])
        .values("account__code")
        .annotate(debit=money_sum("debit", Q()), credit=money_sum("credit", Q()))
        .order_by()
    )
    nets: dict[str, Decimal] = {}
    for row in sums:
        code = row["account__code"][:3]
        nets[code] = nets.get(code, ZERO) + row["credit"] - row["debit"]
    income, expense, cash = [], [], []
    for figure in figures:
        if figure.depth != 0:
            continue
        account = figure.account
        if account.kind == AccountKind.INCOME and account.code in nets:
            income.append((str(account), nets[account.code]))
        elif account.kind == AccountKind.EXPENSE and account.code in nets:
            expense.append((str(account), -nets[account.code]))
        if account.code in CASH_CODES:
            cash.append((str(account), figure.balance))
    return FinanceSummary(start, end, income, expense, cash)
