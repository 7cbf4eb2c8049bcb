"""Editing a draft voucher: header and lines (replaced), only while it is a draft."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assets.models import Account, Voucher, VoucherKind, VoucherState
from assets.services.ledger import voucher_post, voucher_submit, voucher_update
from assets.tests.ledger_testing import conclude_review, keeper_user, line, make_keeper, make_voucher
from supervision.models import ReviewState
from supervision.tests.reviews_testing import make_review
from villagegov.models import Person, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


def _update(voucher: Voucher, lines: list) -> Voucher:
    return voucher_update(
        actor=keeper_user(voucher.village),
        voucher=voucher,
        date=date(2025, 1, 2),
        summary="改过的摘要",
        attachments=3,
        lines=lines,
    )


def test_a_draft_gets_new_header_and_lines(village: Village) -> None:
    voucher = make_voucher(village, posted=False)
    _update(
        voucher, [line(village, "511", "40"), line(village, "101", 0, "30"), line(village, "102", 0, "10")]
    )
    voucher.refresh_from_db()
    assert (voucher.date, voucher.year, voucher.summary, voucher.attachments) == (
        date(2025, 1, 2),
        2025,
        "改过的摘要",
        3,
    )
    assert voucher.debit_total == Decimal("40.00")
    assert [x.account.code for x in voucher.lines.order_by("position")] == ["511", "101", "102"]


@pytest.mark.parametrize("state", [VoucherState.SUBMITTED, VoucherState.POSTED])
def test_only_a_draft_is_edited(village: Village, state: str) -> None:
    voucher = make_voucher(village, state=state)
    with pytest.raises(ValidationError, match="Only a draft"):
        _update(voucher, [line(village, "101", "1"), line(village, "501", 0, "1")])
    assert voucher.lines.count() == 2 and Voucher.objects.get(pk=voucher.pk).summary == voucher.summary


def test_a_reversal_is_not_edited(village: Village) -> None:
    original = make_voucher(village)
    reversal = make_voucher(
        village,
        [("101", 0, 100), ("501", 100, 0)],
        posted=False,
        kind=VoucherKind.REVERSAL,
        reverses=original,
    )
    with pytest.raises(ValidationError, match="mirrors"):
        _update(reversal, [line(village, "101", "1"), line(village, "501", 0, "1")])


def test_an_unbalanced_edit_changes_nothing(village: Village) -> None:
    voucher = make_voucher(village, posted=False)
    with pytest.raises(ValidationError):
        _update(voucher, [line(village, "101", "5"), line(village, "501", 0, "4")])
    voucher.refresh_from_db()
    assert voucher.debit_total == Decimal("100.00") and voucher.lines.count() == 2


def _url(voucher: Voucher) -> str:
    return reverse("voucher_update", args=[voucher.village.admin_code, voucher.pk])


def test_the_form_is_filled_and_saves(village: Village) -> None:
    voucher = make_voucher(village, posted=False)
    client = client_for(make_keeper(village))
    page = client.get(_url(voucher))
    assert page.status_code == 200 and 'value="100.00"' in page.text and voucher.summary in page.text
    cash, bank = (Account.objects.get(village=village, code=code) for code in ("101", "102"))
    data = {"date": "2024-03-16", "summary": "存现", "attachments": "0", "rows": "8"}
    data |= {"account_1": str(bank.pk), "debit_1": "7", "account_2": str(cash.pk), "credit_2": "7"}
    assert client.post(_url(voucher), data).status_code == 302
    voucher.refresh_from_db()
    assert voucher.summary == "存现" and voucher.debit_total == Decimal("7.00")


def test_a_posted_voucher_is_not_offered_for_editing(village: Village) -> None:
    voucher = make_voucher(village)
    client = client_for(make_keeper(village))
    assert client.get(_url(voucher)).status_code == 302
    cash, income = (Account.objects.get(village=village, code=code) for code in ("101", "501"))
    data = {"date": "2024-03-16", "summary": "改", "attachments": "0", "rows": "8"}
    data |= {"account_1": str(cash.pk), "debit_1": "7", "account_2": str(income.pk), "credit_2": "7"}
    assert client.post(_url(voucher), data).status_code == 400
    assert Voucher.objects.get(pk=voucher.pk).summary == voucher.summary


def test_permissions(village: Village, resident: Person, outsider: Person) -> None:
    voucher = make_voucher(village, posted=False)
    assert client_for(resident).get(_url(voucher)).status_code == 403
    assert client_for(outsider).get(_url(voucher)).status_code == 404
    assert client_for(resident).post(_url(voucher), {"summary": "x"}).status_code == 403
    assert Voucher.objects.get(pk=voucher.pk).summary == voucher.summary


def test_a_voucher_reviewed_as_a_draft_is_not_edited_and_does_not_post(village: Village) -> None:
    """The reviewer's scenario: a draft of ¥100 is reviewed and the review concluded; editing it
    to ¥999,999 is refused, and were it changed anyway that review would not let it post."""
    voucher = make_voucher(village, posted=False)
    conclude_review(voucher)
    with pytest.raises(ValidationError, match=r"has reviewed this voucher.*discard it and record a new"):
        _update(voucher, [line(village, "101", "999999"), line(village, "501", 0, "999999")])
    voucher.refresh_from_db()
    assert voucher.debit_total == Decimal("100.00")
    assert set(voucher.lines.values_list("debit", flat=True)) == {Decimal("100.00"), Decimal("0.00")}
    actor = keeper_user(village)
    voucher_submit(actor=actor, voucher=voucher)
    with pytest.raises(ValidationError, match="not concluded"):
        voucher_post(actor=actor, voucher=voucher)


def test_a_voucher_under_review_is_not_edited(village: Village) -> None:
    voucher = make_voucher(village, posted=False)
    make_review(village, "voucher", state=ReviewState.OPEN, subject=voucher)
    with pytest.raises(ValidationError, match="is reviewing this voucher"):
        _update(voucher, [line(village, "101", "5"), line(village, "501", 0, "5")])
    assert Voucher.objects.get(pk=voucher.pk).debit_total == Decimal("100.00")


def test_a_reviewed_draft_is_not_offered_for_editing(village: Village) -> None:
    voucher = make_voucher(village, posted=False)
    conclude_review(voucher)
    client = client_for(make_keeper(village))
    response = client.get(_url(voucher))
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert "has reviewed this voucher" in detail.text
    assert reverse("voucher_update", args=[village.admin_code, voucher.pk]) not in detail.text
    cash, income = (Account.objects.get(village=village, code=code) for code in ("101", "501"))
    data = {"date": "2024-03-16", "summary": "改", "attachments": "0", "rows": "8"}
    data |= {
        "account_1": str(cash.pk),
        "debit_1": "999999",
        "account_2": str(income.pk),
        "credit_2": "999999",
    }
    refused = client.post(_url(voucher), data)
    assert refused.status_code == 400 and "has reviewed this voucher" in refused.text
    assert Voucher.objects.get(pk=voucher.pk).debit_total == Decimal("100.00")
