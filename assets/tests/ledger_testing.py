"""Builders for the ledger tests (and for other areas that need posted books, e.g. the year's
income for a distribution): accounts and vouchers made directly with the models, so that tests
of one area do not depend on the services of another."""

import itertools
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from assets.models import Account, Voucher, VoucherKind, VoucherLine, VoucherState
from assets.services.ledger import LineInput
from villagegov.models import Person, Role, User, Village
from villagegov.testing import make_person

_numbers = itertools.count(1)

LineSpec = tuple[str | Account, Decimal | int | str, Decimal | int | str]


def _money(value: Decimal | int | str) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def make_account(village: Village, code: str, name: str | None = None, *, active: bool = True) -> Account:
    """The village's account `code`; a sub-account (longer than its parent's code by 2 digits) is
    created under its parent, itself created if missing, taking the parent's kind and side."""
    existing = Account.objects.filter(village=village, code=code).first()
    if existing is not None:
        return existing
    assert len(code) > 3, f"first-level account {code} is missing from the chart"
    parent = make_account(village, code[:-2])
    return Account.objects.create(
        village=village,
        code=code,
        name=name or f"{parent.name}明细{code[-2:]}",
        parent=parent,
        kind=parent.kind,
        normal_side=parent.normal_side,
        active=active,
    )


def bookkeeper(village: Village) -> User:
    """A user to record test vouchers (no person needed: the builder skips the permission check)."""
    return User.objects.create_user(username=f"ledger-builder-{next(_numbers)}", password="x")


def make_voucher(
    village: Village,
    lines: Sequence[LineSpec] = (("101", 100, 0), ("501", 0, 100)),
    posted: bool = True,
    *,
    day: date | None = None,
    summary: str = "收到租金",
    kind: str = VoucherKind.ORDINARY,
    state: str | None = None,
    by: User | None = None,
    reverses: Voucher | None = None,
    attachments: int = 1,
) -> Voucher:
    """A voucher of `village` with `lines` given as (account code or Account, debit, credit);
    accounts missing from the chart are created as sub-accounts. Posted (numbered next in its
    year) unless `posted=False` (a draft) or `state` says otherwise. The lines must balance."""
    day = day or date(2024, 3, 15)
    by = by or bookkeeper(village)
    rows = [
        (
            line[0] if isinstance(line[0], Account) else make_account(village, line[0]),
            _money(line[1]),
            _money(line[2]),
        )
        for line in lines
    ]
    debits = sum((row[1] for row in rows), Decimal("0.00"))
    credits = sum((row[2] for row in rows), Decimal("0.00"))
    assert debits == credits, f"the test voucher does not balance: {debits} vs {credits}"
    state = state or (VoucherState.POSTED if posted else VoucherState.DRAFT)
    now = timezone.now()
    voucher = Voucher.objects.create(
        village=village,
        kind=kind,
        date=day,
        year=day.year,
        summary=summary,
        attachments=attachments,
        state=VoucherState.DRAFT,
        debit_total=debits,
        credit_total=credits,
        reverses=reverses,
        created_by=by,
        created_at=now,
    )
    VoucherLine.objects.bulk_create(
        VoucherLine(voucher=voucher, position=index, account=account, summary="", debit=debit, credit=credit)
        for index, (account, debit, credit) in enumerate(rows, start=1)
    )
    if state != VoucherState.DRAFT:
        voucher.state = state
        voucher.submitted_at = now
        fields = ["state", "submitted_at"]
        if state == VoucherState.POSTED:
            last = Voucher.objects.filter(village=village, year=day.year).aggregate(last=Max("number"))[
                "last"
            ]
            voucher.number = (last or 0) + 1
            voucher.posted_at = now
            voucher.posted_by = by
            fields += ["number", "posted_at", "posted_by"]
        voucher.save(update_fields=fields)
    return voucher


def make_keeper(village: Village, *, name: str = "报账员") -> Person:
    """The village's accountant (报账员), with an account: keeps the books."""
    return make_person(village, name=name, roles=(Role.ACCOUNTANT,), with_account=True)


def keeper_user(village: Village) -> User:
    user = make_keeper(village).user
    assert user is not None
    return user


def line(
    village: Village, code: str, debit: Decimal | int | str = 0, credit: Decimal | int | str = 0
) -> LineInput:
    """A line as the services take it: (account, summary, debit, credit)."""
    return (make_account(village, code), "", _money(debit), _money(credit))


def conclude_review(voucher: Voucher) -> None:
    """A concluded voucher review of the supervision committee about `voucher`."""
    from supervision.models import ReviewState
    from supervision.tests.reviews_testing import make_review

    make_review(voucher.village, "voucher", state=ReviewState.CONCLUDED, subject=voucher)


def balances(village: Village) -> dict[str, Decimal]:
    """Every account's net posted balance (debits less credits) by code, leaving out zeros."""
    from assets.selectors.ledger import balances_on

    return {
        figure.account.code: figure.closing
        for figure in balances_on(village, day=date(2999, 12, 31))
        if figure.closing
    }
