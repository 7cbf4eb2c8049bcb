"""A posted voucher is never changed: every service refuses, and so does the database."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from assets.models import Account, Voucher, VoucherLine
from assets.services.ledger import voucher_discard, voucher_post, voucher_submit, voucher_update
from assets.tests.ledger_testing import keeper_user, line, make_voucher
from villagegov.models import Village


def test_every_service_refuses_a_posted_voucher(village: Village) -> None:
    voucher = make_voucher(village)
    actor = keeper_user(village)
    lines = [line(village, "101", "1"), line(village, "501", 0, "1")]
    calls = [
        lambda: voucher_update(
            actor=actor, voucher=voucher, date=date(2024, 1, 1), summary="x", attachments=0, lines=lines
        ),
        lambda: voucher_discard(actor=actor, voucher=voucher),
        lambda: voucher_submit(actor=actor, voucher=voucher),
        lambda: voucher_post(actor=actor, voucher=voucher),
    ]
    for call in calls:
        with pytest.raises(ValidationError):
            call()
    stored = Voucher.objects.get(pk=voucher.pk)
    assert (stored.summary, stored.number, stored.debit_total) == (
        voucher.summary,
        voucher.number,
        voucher.debit_total,
    )


def _refused(action) -> None:
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
        action()


def test_the_database_refuses_to_change_a_posted_voucher_or_its_lines(village: Village) -> None:
    voucher = make_voucher(village)
    other = Account.objects.get(village=village, code="102")
    lines = VoucherLine.objects.filter(voucher=voucher)
    _refused(lambda: Voucher.objects.filter(pk=voucher.pk).update(summary="改"))
    _refused(lambda: Voucher.objects.filter(pk=voucher.pk).delete())
    _refused(lambda: lines.update(debit=0))
    _refused(lambda: lines.filter(position=1).update(account=other))
    _refused(lambda: lines.delete())
    _refused(lambda: VoucherLine.objects.create(voucher=voucher, position=9, account=other, debit=1))
    stored = Voucher.objects.get(pk=voucher.pk)
    assert stored.summary == voucher.summary and lines.count() == 2
    assert set(lines.values_list("debit", flat=True)) == {voucher.debit_total, 0}


def test_a_draft_is_free_to_change(village: Village) -> None:
    draft = make_voucher(village, posted=False)
    assert Voucher.objects.filter(pk=draft.pk).update(summary="改") == 1


def test_postgresql_refuses_lines_that_do_not_sum_to_the_voucher_totals(village: Village) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the deferred check is PostgreSQL's")
    draft = make_voucher(village, posted=False)

    def unbalance() -> None:
        VoucherLine.objects.filter(voucher=draft, position=1).update(debit=Decimal("99"))
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    _refused(unbalance)
    assert VoucherLine.objects.get(voucher=draft, position=1).debit == Decimal("100.00")
