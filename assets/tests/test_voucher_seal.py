"""A posted voucher is sealed in the audit log with its lines: `verify_audit_log` names the
voucher (and whether the voucher or its lines changed) when a row is changed, removed or swapped
afterwards with raw SQL, the database's guards switched off as only its owner can."""

from collections.abc import Callable
from datetime import date

import pytest

from assets.models import Collective, Voucher, VoucherLine, VoucherState
from assets.services.ledger import voucher_post, voucher_reverse
from assets.tests.ledger_testing import keeper_user, make_voucher
from villagegov.models import User, Village
from villagegov.tests.tamper_testing import swap, tamper, verify, verify_fails

pytestmark = pytest.mark.usefixtures("english")

VOUCHER = Voucher._meta.db_table
LINE = VoucherLine._meta.db_table


def posted(village: Village, keeper: User, day: date, amount: int = 100) -> Voucher:
    draft = make_voucher(village, (("101", amount, 0), ("501", 0, amount)), posted=False, day=day)
    return voucher_post(actor=keeper, voucher=draft)


@pytest.fixture
def keeper(village: Village) -> User:
    Collective.objects.filter(village=village).update(vouchers_need_review=False)
    return keeper_user(village)


def name(voucher: Voucher) -> str:
    return f"assets.voucher #{voucher.pk}"


def line_of(voucher: Voucher, position: int) -> int:
    return VoucherLine.objects.get(voucher=voucher, position=position).pk


def test_posted_vouchers_and_a_reversal_pass_untouched(village: Village, keeper: User) -> None:
    first = posted(village, keeper, date(2024, 3, 1))
    posted(village, keeper, date(2024, 3, 2), 250)
    voucher_post(actor=keeper, voucher=voucher_reverse(actor=keeper, voucher=first, date=date(2024, 3, 3)))
    assert Voucher.objects.filter(state=VoucherState.POSTED).count() == 3
    assert "every sealed row matches" in verify()


def test_a_draft_is_not_sealed_and_may_change(village: Village, keeper: User) -> None:
    draft = make_voucher(village, posted=False)
    Voucher.objects.filter(pk=draft.pk).update(summary="改")
    verify()


Tamper = Callable[[Voucher, Voucher], object]
CASES: list[tuple[str, Tamper, str]] = [
    (
        "voucher-altered",
        lambda v, _w: tamper(f"UPDATE {VOUCHER} SET summary = %s WHERE id = %s", ["改", v.pk], VOUCHER),
        "voucher",
    ),
    (
        "unposted",
        lambda v, _w: tamper(
            f"UPDATE {VOUCHER} SET state = 'draft', number = NULL, posted_at = NULL WHERE id = %s",
            [v.pk],
            VOUCHER,
        ),
        "voucher",
    ),
    ("vouchers-swapped", lambda v, w: swap(VOUCHER, "date", v.pk, w.pk), "voucher"),
    (
        "line-altered",
        lambda v, _w: tamper(f"UPDATE {LINE} SET summary = %s WHERE id = %s", ["改", line_of(v, 1)], LINE),
        "lines",
    ),
    (
        "amounts-altered",
        lambda v, _w: tamper(
            f"UPDATE {LINE} SET debit = CASE WHEN debit > 0 THEN debit + 1 ELSE 0 END,"
            " credit = CASE WHEN credit > 0 THEN credit + 1 ELSE 0 END"
            " WHERE voucher_id = %s",
            [v.pk],
            LINE,
        ),
        "lines",
    ),
    ("lines-swapped", lambda v, _w: swap(LINE, "account_id", line_of(v, 1), line_of(v, 2)), "lines"),
    (
        "line-removed",
        lambda v, _w: tamper(f"DELETE FROM {LINE} WHERE id = %s", [line_of(v, 2)], LINE),
        "lines",
    ),
    (
        "line-moved",
        lambda v, w: tamper(
            f"UPDATE {LINE} SET voucher_id = %s, position = 9 WHERE id = %s", [w.pk, line_of(v, 2)], LINE
        ),
        "lines",
    ),
]


@pytest.mark.parametrize(("tampering", "part"), [(t, p) for _, t, p in CASES], ids=[i for i, _, _ in CASES])
def test_a_posted_voucher_changed_afterwards_is_named(
    village: Village, keeper: User, tampering: Tamper, part: str
) -> None:
    voucher = posted(village, keeper, date(2024, 3, 1))
    other = posted(village, keeper, date(2024, 3, 2), 250)
    tampering(voucher, other)
    assert f"{name(voucher)} ({part}): row altered" in verify_fails()


def test_a_posted_voucher_removed_is_named(village: Village, keeper: User) -> None:
    voucher = posted(village, keeper, date(2024, 3, 1))
    tamper(f"DELETE FROM {LINE} WHERE voucher_id = %s", [voucher.pk], LINE)
    tamper(f"DELETE FROM {VOUCHER} WHERE id = %s", [voucher.pk], VOUCHER)
    assert f"{name(voucher)}: row removed" in verify_fails()


def test_a_voucher_posted_behind_the_services_back_is_not_in_the_audit_log(village: Village) -> None:
    voucher = make_voucher(village)  # the builder posts it with the model, as raw SQL would
    assert f"{name(voucher)}: row not in the audit log" in verify_fails()
