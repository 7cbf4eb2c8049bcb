"""The books (账簿): sub-accounts of the chart, vouchers from draft through the supervision
committee's review to posting, reversing vouchers, the opening balances and the disclosure of
the period's finances. A posted voucher is never changed: the database refuses it too."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from assets.imports import ImportRefused, ImportRow, row_error
from assets.models import (
    Account,
    AccountKind,
    Collective,
    DistributionPlan,
    Voucher,
    VoucherKind,
    VoucherLine,
    VoucherState,
)
from assets.selectors.ledger import YEAR_RESULT_CODE
from assets.values import MAX_AMOUNT, ZERO, amount, not_after_today, refuse_unless
from supervision.models import DisclosureItem, DisclosureSection, ReviewState
from supervision.selectors.committee import committee_people
from supervision.selectors.reviews import subject_reference, subject_reviews
from supervision.services import TOO_LONG, notification_language
from supervision.services.disclosure import disclosure_publish
from villagegov.formats import local_date, yuan
from villagegov.models import User, Village
from villagegov.permissions import Action
from villagegov.services.audit import audit_record, audited_update, snapshot
from villagegov.services.notifications import notification_send
from villagegov.services.text import clean_text

MIN_LINES = 2
MAX_LINES = 50
SUMMARY_MAX_LENGTH = 200
NAME_MAX_LENGTH = 100
MAX_ATTACHMENTS = 999
VOUCHER_FIELDS = [
    "kind",
    "date",
    "year",
    "number",
    "summary",
    "attachments",
    "state",
    "debit_total",
    "credit_total",
    "reverses_id",
]
ACCOUNT_FIELDS = ["code", "name", "name_en", "parent_id", "kind", "normal_side", "active"]

# A line as a form hands it over: (account, summary, debit, credit).
LineInput = tuple[Account, str, Decimal, Decimal]


def _require_keeper(actor: User, village: Village) -> None:
    refuse_unless(
        actor,
        Action.KEEP_ACCOUNTS,
        village,
        _("Only the accountant and the village's officials keep the books."),
    )


def _voucher_name(voucher: Voucher) -> str:
    if voucher.number is not None:
        return _("voucher no. %(number)s of %(year)s") % {"number": voucher.number, "year": voucher.year}
    return _("the voucher of %(date)s “%(summary)s”") % {
        "date": local_date(voucher.date),
        "summary": Truncator(voucher.summary).chars(40),
    }


def money(value: object, *, field: str) -> Decimal:
    """`value` as an exact amount in fen (nothing given is zero; negative amounts pass, for the
    caller to say where they go); ValidationError past two decimal places or the limit."""
    if value is None or not str(value).strip():
        return ZERO
    return amount(value, field=field, allow_negative=True)


def _leaf_problem(account: Account, village: Village, parents: set[int]) -> str | None:
    if account.village_id != village.pk:
        return _("the account is not in this village's chart")
    if not account.active:
        return _("the account %(account)s is no longer in use") % {"account": account}
    if account.pk in parents:
        return _("%(account)s has sub-accounts: post to the most detailed account") % {"account": account}
    return None


def _checked_lines(village: Village, lines: Sequence[LineInput]) -> tuple[list[LineInput], Decimal, Decimal]:
    """The lines as they are recorded, with their sums; ValidationError listing every problem."""
    if len(lines) < MIN_LINES:
        raise ValidationError(_("A voucher has at least two lines: a debit and a credit."))
    if len(lines) > MAX_LINES:
        raise ValidationError(_("A voucher has at most %(max)d lines.") % {"max": MAX_LINES})
    ids = {account.pk for account, *_rest in lines}
    # The accounts as they are now, whatever the caller holds.
    current = {account.pk: account for account in Account.objects.filter(pk__in=ids)}
    parents = set(Account.objects.filter(parent_id__in=ids).values_list("parent_id", flat=True))
    problems: list[str] = []
    checked: list[LineInput] = []
    debits = credits = ZERO
    for position, (given, summary, debit, credit) in enumerate(lines, start=1):
        account = current.get(given.pk, given)
        try:
            debit, credit = money(debit, field=_("the debit")), money(credit, field=_("the credit"))
        except ValidationError as error:
            problems.append(
                _("Line %(line)d: %(problem)s") % {"line": position, "problem": error.messages[0]}
            )
            continue
        if debit < 0 or credit < 0:
            problem = _("amounts are not negative; put the amount on the other side instead")
        elif (debit > 0) == (credit > 0):
            problem = _("give the amount either as a debit or as a credit")
        else:
            problem = _leaf_problem(account, village, parents) or ""
        if problem:
            problems.append(_("Line %(line)d: %(problem)s.") % {"line": position, "problem": problem})
            continue
        summary = clean_text(summary, max_length=SUMMARY_MAX_LENGTH, empty=None, too_long=str(TOO_LONG))
        checked.append((account, summary, debit, credit))
        debits += debit
        credits += credit
    if problems:
        raise ValidationError(problems)
    if debits != credits:
        raise ValidationError(
            _("Debits do not equal credits (debits %(debits)s, credits %(credits)s): correct the amounts.")
            % {"debits": yuan(debits), "credits": yuan(credits)}
        )
    if debits > MAX_AMOUNT:
        raise ValidationError(
            _("The amount is larger than the books take (%(max)s).") % {"max": yuan(MAX_AMOUNT)}
        )
    return checked, debits, credits


def _checked_header(summary: str, attachments: int, day: date) -> str:
    if attachments < 0 or attachments > MAX_ATTACHMENTS:
        raise ValidationError(
            _("The number of attached documents is between 0 and %(max)d.") % {"max": MAX_ATTACHMENTS}
        )
    not_after_today(day, what=_("The voucher"))
    return clean_text(
        summary,
        max_length=SUMMARY_MAX_LENGTH,
        too_long=str(TOO_LONG),
        empty=_("Write the voucher's summary."),
    )


def _lines_write(voucher: Voucher, lines: list[LineInput]) -> None:
    VoucherLine.objects.bulk_create(
        VoucherLine(
            voucher=voucher, position=position, account=account, summary=summary, debit=debit, credit=credit
        )
        for position, (account, summary, debit, credit) in enumerate(lines, start=1)
    )


def _lines_snapshot(lines: Sequence[LineInput]) -> list[dict[str, object]]:
    return [
        {"account": account.code, "summary": summary, "debit": debit, "credit": credit}
        for account, summary, debit, credit in lines
    ]


def _voucher_write(
    *,
    actor: User,
    village: Village,
    kind: str,
    date: date,
    summary: str,
    attachments: int,
    lines: list[LineInput],
    debits: Decimal,
    reverses: Voucher | None = None,
) -> Voucher:
    voucher = Voucher.objects.create(
        village=village,
        kind=kind,
        date=date,
        year=date.year,
        summary=summary,
        attachments=attachments,
        state=VoucherState.DRAFT,
        debit_total=debits,
        credit_total=debits,
        reverses=reverses,
        created_by=actor,
        created_at=timezone.now(),
    )
    _lines_write(voucher, lines)
    after = snapshot(voucher, VOUCHER_FIELDS) | {"lines": _lines_snapshot(lines)}
    audit_record(actor=actor, village=village, action=f"voucher.{kind}_create", target=voucher, after=after)
    return voucher


@transaction.atomic
def voucher_create(
    *,
    actor: User,
    village: Village,
    date: date,
    summary: str,
    attachments: int,
    lines: Sequence[LineInput],
) -> Voucher:
    """A draft voucher of balanced lines on the most detailed accounts of the village's chart."""
    _require_keeper(actor, village)
    summary = _checked_header(summary, attachments, date)
    checked, debits, _credits = _checked_lines(village, lines)
    return _voucher_write(
        actor=actor,
        village=village,
        kind=VoucherKind.ORDINARY,
        date=date,
        summary=summary,
        attachments=attachments,
        lines=checked,
        debits=debits,
    )


def _locked(voucher: Voucher) -> Voucher:
    return Voucher.objects.select_for_update().select_related("village").get(pk=voucher.pk)


def _lock_books(village: Village) -> Collective | None:
    """The village's collective, locked: one change to its books at a time (numbers, codes, the
    opening balances)."""
    return Collective.objects.select_for_update().filter(village=village).first()


def refuse_if_reviewed(voucher: Voucher) -> None:
    """A voucher the committee has looked at stays as they saw it: a review names its amount and
    its lines, and an edited voucher would pass with the review of another."""
    states = set(subject_reviews(voucher).values_list("state", flat=True))
    if ReviewState.OPEN in states:
        raise ValidationError(
            _(
                "The supervision committee is reviewing this voucher, so it is not edited. Once the "
                "committee concludes its review, discard it and record a new voucher."
            )
        )
    if states:
        raise ValidationError(
            _(
                "The supervision committee has reviewed this voucher, so it is not edited: discard it "
                "and record a new voucher."
            )
        )


@transaction.atomic
def voucher_update(
    *,
    actor: User,
    voucher: Voucher,
    date: date,
    summary: str,
    attachments: int,
    lines: Sequence[LineInput],
) -> Voucher:
    """Change a draft: its date, summary, attachments and all its lines (replaced)."""
    locked = _locked(voucher)
    village = locked.village
    _require_keeper(actor, village)
    if locked.state != VoucherState.DRAFT:
        raise ValidationError(
            _(
                "Only a draft can be edited. A voucher sent for review or posted stays as it is; "
                "reverse a posted one."
            )
        )
    if locked.kind == VoucherKind.REVERSAL:
        raise ValidationError(
            _("A reversing voucher mirrors the voucher it reverses and is not edited; discard it instead.")
        )
    refuse_if_reviewed(locked)
    summary = _checked_header(summary, attachments, date)
    checked, debits, _credits = _checked_lines(village, lines)
    before = snapshot(locked, VOUCHER_FIELDS) | {
        "lines": [
            {
                "account": line.account.code,
                "summary": line.summary,
                "debit": line.debit,
                "credit": line.credit,
            }
            for line in locked.lines.select_related("account")
        ]
    }
    locked.lines.all().delete()
    locked.date, locked.year, locked.summary, locked.attachments = date, date.year, summary, attachments
    locked.debit_total = locked.credit_total = debits
    locked.save(update_fields=["date", "year", "summary", "attachments", "debit_total", "credit_total"])
    _lines_write(locked, checked)
    after = snapshot(locked, VOUCHER_FIELDS) | {"lines": _lines_snapshot(checked)}
    audit_record(
        actor=actor, village=village, action="voucher.update", target=locked, before=before, after=after
    )
    return locked


@transaction.atomic
def voucher_discard(*, actor: User, voucher: Voucher) -> None:
    """Delete a voucher that was never posted (a draft or one awaiting review); the audit log
    keeps what it was."""
    locked = _locked(voucher)
    village = locked.village
    _require_keeper(actor, village)
    if locked.state == VoucherState.POSTED:
        raise ValidationError(_("A posted voucher is never deleted: reverse it with a reversing voucher."))
    if subject_reviews(locked).filter(state=ReviewState.OPEN).exists():
        raise ValidationError(
            _(
                "The supervision committee is reviewing this voucher: it is discarded only once the "
                "review is concluded. Ask the committee to conclude it."
            )
        )
    before = snapshot(locked, VOUCHER_FIELDS) | {
        "lines": [
            {
                "account": line.account.code,
                "summary": line.summary,
                "debit": line.debit,
                "credit": line.credit,
            }
            for line in locked.lines.select_related("account")
        ]
    }
    audit_record(actor=actor, village=village, action="voucher.discard", target=locked, before=before)
    locked.lines.all().delete()
    locked.delete()


def review_link(voucher: Voucher) -> str:
    """Where a committee member opens the review of `voucher` (the form names it as the subject)."""
    base = reverse("review_create", args=[voucher.village.admin_code])
    return f"{base}?kind=voucher&subject={subject_reference(voucher)}"


@transaction.atomic
def voucher_submit(*, actor: User, voucher: Voucher) -> Voucher:
    """Send a draft for the supervision committee's review; its members in office are told."""
    locked = _locked(voucher)
    village = locked.village
    _require_keeper(actor, village)
    if locked.state != VoucherState.DRAFT:
        raise ValidationError(_("Only a draft is sent for review; this voucher was sent already."))
    audited_update(
        locked,
        actor=actor,
        village=village,
        action="voucher.submit",
        changes={"state": VoucherState.SUBMITTED, "submitted_at": timezone.now()},
        fields=[*VOUCHER_FIELDS, "submitted_at"],
    )
    with notification_language():
        message = _("A voucher awaits your review: %(date)s “%(summary)s”, %(amount)s.") % {
            "date": local_date(locked.date),
            "summary": Truncator(locked.summary).chars(60),
            "amount": yuan(locked.debit_total),
        }
    notification_send(
        village=village,
        people=committee_people(village, on=timezone.localdate()),
        message=message,
        link=review_link(locked),
    )
    return locked


def _reviewed_as_submitted(voucher: Voucher) -> bool:
    """Whether the committee concluded a review of `voucher` opened once it was sent for review:
    a review of the draft may have seen other lines (one query)."""
    if voucher.submitted_at is None:
        return False
    return (
        subject_reviews(voucher)
        .filter(state=ReviewState.CONCLUDED, opened_at__gte=voucher.submitted_at)
        .exists()
    )


def _refuse_if_plan_published(voucher: Voucher) -> None:
    """A published distribution plan of the voucher's year took the year's net income from the
    books: a voucher changing that income (on an income or expense account, other than the
    year-end closing to 本年收益) would make the plan's figures differ from the books. The closing
    and the distribution's own entries (本年收益 to 收益分配) post."""
    plan = (
        DistributionPlan.objects.filter(
            village_id=voucher.village_id,
            year=voucher.year,
            published_at__isnull=False,
            withdrawn_at__isnull=True,
        )
        .order_by("-published_at")
        .first()
    )
    if plan is None:
        return
    lines = voucher.lines.all()
    if not lines.filter(account__kind__in=[AccountKind.INCOME, AccountKind.EXPENSE]).exists():
        return
    if lines.filter(account__code__startswith=YEAR_RESULT_CODE).exists():
        return
    raise ValidationError(
        _(
            "The distribution plan of %(year)s (“%(plan)s”) is published with the year's net income "
            "from the books; this voucher changes that income, so the plan's figures would no longer "
            "match the books. Withdraw the plan first, then post the voucher and draft a new plan."
        )
        % {"year": voucher.year, "plan": plan.title}
    )


@transaction.atomic
def voucher_post(*, actor: User, voucher: Voucher) -> Voucher:
    """Enter a voucher in the books: once the committee concluded its review (when the village
    asks for it), with the next number of its year. Posted, it never changes."""
    village = voucher.village
    _require_keeper(actor, village)
    # Locked first: numbers are given one at a time in each village.
    collective = Collective.objects.select_for_update().get(village=village)
    locked = _locked(voucher)
    if locked.state == VoucherState.POSTED:
        raise ValidationError(_("This voucher is posted already."))
    if locked.state == VoucherState.DRAFT and collective.vouchers_need_review:
        raise ValidationError(_("Send the voucher for the supervision committee's review first."))
    if collective.vouchers_need_review and not _reviewed_as_submitted(locked):
        raise ValidationError(
            _(
                "The supervision committee's review of this voucher is not concluded: "
                "it can be posted once it is."
            )
        )
    if locked.kind == VoucherKind.REVERSAL:
        original = Voucher.objects.filter(reversed_by=locked).first()
        if original is None or original.state != VoucherState.POSTED:
            raise ValidationError(_("The voucher this one reverses is not posted."))
    _refuse_if_plan_published(locked)
    last = Voucher.objects.filter(village=village, year=locked.year).aggregate(last=Max("number"))["last"]
    audited_update(
        locked,
        actor=actor,
        village=village,
        action="voucher.post",
        changes={
            "state": VoucherState.POSTED,
            "number": (last or 0) + 1,
            "posted_at": timezone.now(),
            "posted_by": actor,
            "submitted_at": locked.submitted_at or timezone.now(),
        },
        fields=[*VOUCHER_FIELDS, "posted_at", "posted_by_id"],
        seal=True,
    )
    return locked


@transaction.atomic
def voucher_reverse(*, actor: User, voucher: Voucher, date: date | None = None) -> Voucher:
    """A draft reversing voucher (冲销凭证) for a posted one: the same lines on swapped sides,
    through the same review and posting. Each posted voucher is reversed once."""
    locked = _locked(voucher)
    village = locked.village
    _require_keeper(actor, village)
    if locked.state != VoucherState.POSTED:
        raise ValidationError(_("Only a posted voucher is reversed; a draft is edited or discarded."))
    if locked.kind == VoucherKind.REVERSAL:
        raise ValidationError(_("A reversing voucher is not reversed again: record a new voucher instead."))
    earlier = Voucher.objects.filter(reverses=locked).first()
    if earlier is not None:
        raise ValidationError(
            _("This voucher is already reversed by %(voucher)s.") % {"voucher": _voucher_name(earlier)}
        )
    day = not_after_today(date or timezone.localdate(), what=_("The reversing voucher"))
    if day < locked.date:
        raise ValidationError(
            _("The reversal cannot be dated before the voucher it reverses (%(date)s).")
            % {"date": local_date(locked.date)}
        )
    lines = [
        (line.account, line.summary, line.credit, line.debit)
        for line in locked.lines.select_related("account").order_by("position")
    ]
    with notification_language():
        summary = _("Reversal of voucher no. %(number)s of %(year)s: %(summary)s") % {
            "number": locked.number,
            "year": locked.year,
            "summary": locked.summary,
        }
    return _voucher_write(
        actor=actor,
        village=village,
        kind=VoucherKind.REVERSAL,
        date=day,
        summary=Truncator(summary).chars(SUMMARY_MAX_LENGTH),
        attachments=0,
        lines=lines,
        debits=locked.debit_total,
        reverses=locked,
    )


# ---------------------------------------------------------------------------------------------
# The chart
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def account_create(
    *,
    actor: User,
    village: Village,
    parent: Account,
    name: str,
    code_suffix: str | None = None,
    code: str | None = None,
    name_en: str = "",
) -> Account:
    """A sub-account (明细科目) of `parent`: its code is the parent's and two more digits (give the
    two digits or the whole code); kind and normal side as the parent's."""
    _require_keeper(actor, village)
    # Locked first: two people adding the same code one after the other, not at once.
    _lock_books(village)
    locked = Account.objects.select_for_update().filter(pk=parent.pk, village=village).first()
    if locked is None:
        raise ValidationError(_("Choose an account of this village's chart as the parent."))
    if not locked.active:
        raise ValidationError(_("The account %(account)s is no longer in use.") % {"account": locked})
    if VoucherLine.objects.filter(account=locked).exists():
        raise ValidationError(
            _(
                "%(account)s already has entries in vouchers, so it cannot be split into sub-accounts: "
                "its entries would belong to no sub-account. Open a new first-level account's sub-accounts, "
                "or reverse the entries first."
            )
            % {"account": locked}
        )
    suffix = (code_suffix or "").strip()
    if code:
        code = code.strip()
        if not code.startswith(locked.code):
            raise ValidationError(
                _("A sub-account's code starts with its parent's (%(code)s).") % {"code": locked.code}
            )
        suffix = code[len(locked.code) :]
    if len(suffix) != 2 or not suffix.isascii() or not suffix.isdigit() or suffix == "00":
        raise ValidationError(
            _("A sub-account's code is its parent's code and two more digits, 01 to 99 (e.g. %(code)s01).")
            % {"code": locked.code}
        )
    full = locked.code + suffix
    if len(full) > 12:
        raise ValidationError(_("Accounts are at most five levels deep; choose a parent higher up."))
    existing = Account.objects.filter(village=village, code=full).first()
    if existing is not None:
        raise ValidationError(
            _("The code %(code)s is already used by %(account)s.") % {"code": full, "account": existing}
        )
    name = clean_text(name, max_length=NAME_MAX_LENGTH, too_long=str(TOO_LONG), empty=_("Name the account."))
    name_en = clean_text(name_en, max_length=NAME_MAX_LENGTH, too_long=str(TOO_LONG), empty=None)
    account = Account.objects.create(
        village=village,
        code=full,
        name=name,
        name_en=name_en,
        parent=locked,
        kind=locked.kind,
        normal_side=locked.normal_side,
    )
    audit_record(
        actor=actor,
        village=village,
        action="account.create",
        target=account,
        after=snapshot(account, ACCOUNT_FIELDS),
    )
    return account


# ---------------------------------------------------------------------------------------------
# Opening balances
# ---------------------------------------------------------------------------------------------

# Income and expense accounts (损益类) start each year at zero: no opening balance.
PROFIT_AND_LOSS = (AccountKind.INCOME, AccountKind.EXPENSE)
OPENING_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("科目编码", "code", "account code"),
    "name": ("科目名称", "name", "account name"),
    "debit": ("借方余额", "debit", "debit balance"),
    "credit": ("贷方余额", "credit", "credit balance"),
}


@transaction.atomic
def opening_balance_import(*, actor: User, village: Village, day: date, rows: Sequence[ImportRow]) -> Voucher:
    """The opening balances (期初余额) from an imported table as one draft OPENING voucher, to be
    reviewed and posted like any other: all rows valid and balancing, or nothing is written
    (ImportRefused listing every row's problem)."""
    _require_keeper(actor, village)
    # Locked first: two imports at once make one opening voucher, not two.
    _lock_books(village)
    existing = Voucher.objects.filter(village=village, kind=VoucherKind.OPENING).first()
    if existing is not None:
        raise ValidationError(
            _("The opening balances are already recorded (%(voucher)s). Discard that draft to import again.")
            % {"voucher": _voucher_name(existing)}
        )
    not_after_today(day, what=_("The opening balances"))
    accounts = {account.code: account for account in Account.objects.filter(village=village)}
    parents = set(
        Account.objects.filter(village=village, parent__isnull=False).values_list("parent_id", flat=True)
    )
    errors: list[str] = []
    lines: list[LineInput] = []
    seen: dict[str, int] = {}
    debits = credits = ZERO
    for row in rows:
        code = row.values.get("code", "").strip()
        account = accounts.get(code)
        if not code:
            errors.append(row_error(row.line, _("Give the account's code.")))
            continue
        if account is None:
            errors.append(
                row_error(row.line, _("The account %(code)s is not in the chart.") % {"code": code})
            )
            continue
        if code in seen:
            errors.append(
                row_error(
                    row.line,
                    _("The account %(code)s is also on row %(row)s.") % {"code": code, "row": seen[code]},
                )
            )
            continue
        seen[code] = row.line
        try:
            debit = money(row.values.get("debit", ""), field=_("the debit balance"))
            credit = money(row.values.get("credit", ""), field=_("the credit balance"))
        except ValidationError as error:
            errors.append(row_error(row.line, error.messages[0]))
            continue
        if debit < 0 or credit < 0:
            errors.append(
                row_error(row.line, _("Balances are not negative: put the amount in the other column."))
            )
            continue
        if debit > 0 and credit > 0:
            errors.append(
                row_error(row.line, _("Give the balance either as a debit or as a credit, not both."))
            )
            continue
        if debit == 0 and credit == 0:
            continue
        if account.kind in PROFIT_AND_LOSS:
            errors.append(
                row_error(
                    row.line,
                    _(
                        "%(account)s is an income or expense account (损益类): it starts each year at "
                        "zero and has no opening balance. Put the balance on the accounts it was closed "
                        "to (本年收益 or 收益分配)."
                    )
                    % {"account": account},
                )
            )
            continue
        problem = _leaf_problem(account, village, parents)
        if problem:
            errors.append(row_error(row.line, problem[:1].upper() + problem[1:] + "."))
            continue
        lines.append((account, "", debit, credit))
        debits += debit
        credits += credit
    if not errors and debits != credits:
        errors.append(
            _("The debits do not equal the credits (%(debits)s vs %(credits)s).")
            % {"debits": yuan(debits), "credits": yuan(credits)}
        )
    if not errors and debits == 0:
        errors.append(_("The file has no balance other than zero."))
    if not errors and debits > MAX_AMOUNT:
        errors.append(_("The amount is larger than the books take (%(max)s).") % {"max": yuan(MAX_AMOUNT)})
    if errors:
        raise ImportRefused(errors)
    with notification_language():
        summary = _("Opening balances as of %(date)s") % {"date": local_date(day)}
    return _voucher_write(
        actor=actor,
        village=village,
        kind=VoucherKind.OPENING,
        date=day,
        summary=summary,
        attachments=0,
        lines=lines,
        debits=debits,
    )


# ---------------------------------------------------------------------------------------------
# Disclosure
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def finance_disclose(
    *, actor: User, village: Village, period_start: date, period_end: date
) -> DisclosureItem:
    """Publish the period's finances on the board (财务公开): income and expenditure by account
    and the balances of cash and bank at the period's end, from the posted books."""
    from assets.selectors.ledger import finance_summary  # the selector reads; this writes

    _require_keeper(actor, village)
    if period_end < period_start:
        raise ValidationError(_("The period ends before it starts."))
    with notification_language():
        title, body = finance_summary(village, start=period_start, end=period_end).as_text()
    return disclosure_publish(
        actor=actor,
        village=village,
        section=DisclosureSection.FINANCES,
        title=title,
        body=body,
        period_start=period_start,
        period_end=period_end,
    )
