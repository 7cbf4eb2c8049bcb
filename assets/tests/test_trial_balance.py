"""试算平衡表: opening, the period's debits and credits, closing; balanced."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assets.models import Voucher, VoucherKind, VoucherLine, VoucherState
from assets.selectors.ledger import trial_balance
from assets.tests.ledger_testing import make_keeper, make_voucher
from villagegov.models import Person, Village
from villagegov.testing import client_for


def _books(village: Village) -> None:
    make_voucher(
        village, [("101", "1000", 0), ("301", 0, "1000")], day=date(2023, 12, 31), kind=VoucherKind.OPENING
    )
    make_voucher(village, [("10201", "300", 0), ("101", 0, "300")], day=date(2023, 12, 31))
    make_voucher(village, [("10201", "500", 0), ("50101", 0, "500")], day=date(2024, 2, 1))
    make_voucher(village, [("513", "120.30", 0), ("101", 0, "120.30")], day=date(2024, 3, 1))
    make_voucher(village, [("513", "7", 0), ("101", 0, "7")], day=date(2024, 7, 1))  # after the period


def test_the_figures(village: Village) -> None:
    _books(village)
    report = trial_balance(village, start=date(2024, 1, 1), end=date(2024, 6, 30))
    rows = {figure.account.code: figure for figure in report.rows}
    assert (rows["101"].opening_debit, rows["101"].credit, rows["101"].closing_debit) == (
        Decimal("700.00"),
        Decimal("120.30"),
        Decimal("579.70"),
    )
    # The sub-account rolls into its parent.
    assert rows["102"].opening_debit == Decimal("300.00") and rows["102"].debit == Decimal("500.00")
    assert rows["10201"].closing_debit == Decimal("800.00")
    assert rows["301"].opening_credit == Decimal("1000.00")
    assert "111" not in rows  # no figure, no row
    assert report.opening_debit == report.opening_credit == Decimal("1000.00")
    assert report.debit == report.credit == Decimal("620.30")
    assert report.closing_debit == report.closing_credit == Decimal("1500.00")
    assert report.balanced


def test_a_book_that_does_not_add_up_is_flagged(village: Village) -> None:
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL refuses such lines at commit (test_ledger_immutable)")
    _books(village)
    # What only a broken database could hold: a posted voucher whose lines do not balance (its
    # lines changed while a draft; on PostgreSQL the deferred check would refuse it at commit).
    broken = make_voucher(village, [("101", "10", 0), ("501", 0, "10")], day=date(2024, 2, 2), posted=False)
    VoucherLine.objects.filter(voucher=broken, position=2).update(credit=Decimal("9"))
    Voucher.objects.filter(pk=broken.pk).update(
        state=VoucherState.POSTED, number=99, posted_at=timezone.now()
    )
    report = trial_balance(village, start=date(2024, 1, 1), end=date(2024, 6, 30))
    assert not report.balanced and report.debit - report.credit == Decimal("1.00")
    page = client_for(make_keeper(village)).get(
        reverse("trial_balance", args=[village.admin_code]), {"start": "2024-01-01", "end": "2024-06-30"}
    )
    assert "badge-bad" in page.text and "badge-ok" not in page.text


def test_the_page(village: Village) -> None:
    _books(village)
    page = client_for(make_keeper(village)).get(
        reverse("trial_balance", args=[village.admin_code]), {"start": "2024-01-01", "end": "2024-06-30"}
    )
    assert (
        page.status_code == 200
        and "badge-ok" in page.text
        and "¥1,500.00" in page.text
        and "¥620.30" in page.text
    )


def test_permissions(village: Village, resident: Person, outsider: Person) -> None:
    url = reverse("trial_balance", args=[village.admin_code])
    assert client_for(resident).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
