"""The opening balances (期初余额) from a table: all rows valid or nothing written; one draft
OPENING voucher, posted like any other, counting as of its date."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assets.imports import ImportRefused, ImportRow
from assets.models import Voucher, VoucherKind, VoucherState
from assets.selectors.ledger import balances_on
from assets.services.ledger import opening_balance_import
from assets.tests.ledger_testing import keeper_user, make_account, make_keeper
from villagegov.models import Person, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")

DAY = date(2024, 1, 1)


def _rows(*rows: tuple[str, str, str]) -> list[ImportRow]:
    return [ImportRow(n, {"code": c, "debit": d, "credit": k}) for n, (c, d, k) in enumerate(rows, start=2)]


def test_a_balanced_table_becomes_one_draft_opening_voucher(village: Village) -> None:
    make_account(village, "10201", "工行")
    voucher = opening_balance_import(
        actor=keeper_user(village),
        village=village,
        day=DAY,
        rows=_rows(("101", "1,200.50", ""), ("10201", "800", "0"), ("301", "", "2000.50"), ("112", "0", "")),
    )
    assert voucher.kind == VoucherKind.OPENING and voucher.state == VoucherState.DRAFT and voucher.date == DAY
    assert voucher.debit_total == Decimal("2000.50") and voucher.lines.count() == 3


def test_every_rows_problem_is_listed_and_nothing_written(village: Village) -> None:
    make_account(village, "10201", "工行")
    with pytest.raises(ImportRefused) as refusal:
        opening_balance_import(
            actor=keeper_user(village),
            village=village,
            day=DAY,
            rows=_rows(
                ("999", "1", ""), ("102", "5", ""), ("101", "5", "5"), ("112", "abc", ""), ("101", "1", "")
            ),
        )
    errors = refusal.value.errors
    assert len(errors) == 5
    assert "2" in errors[0] and "999" in errors[0]
    assert (
        "sub-accounts" in errors[1]
        and "both" in errors[2]
        and "as an amount" in errors[3]
        and "row 4" in errors[4]
    )
    assert not Voucher.objects.exists()


def test_an_amount_the_books_cannot_hold_is_a_row_error(village: Village) -> None:
    with pytest.raises(ImportRefused) as refusal:
        opening_balance_import(
            actor=keeper_user(village),
            village=village,
            day=DAY,
            rows=_rows(("101", "1e30", ""), ("301", "", "NaN"), ("112", "5", ""), ("301", "", "5")),
        )
    errors = refusal.value.errors
    assert errors[0].startswith("Row 2:") and "larger than the books take" in errors[0]
    assert errors[1].startswith("Row 3:") and "as an amount" in errors[1]
    response = client_for(make_keeper(village)).post(
        _url(village),
        {
            "date": "2024-01-01",
            "file": SimpleUploadedFile("o.csv", b"code,debit,credit\n101,1e30,\n301,,1e30\n"),
        },
    )
    assert response.status_code == 400 and "Row 2" in response.text and not Voucher.objects.exists()


def test_income_and_expense_accounts_have_no_opening_balance(village: Village) -> None:
    with pytest.raises(ImportRefused) as refusal:
        opening_balance_import(
            actor=keeper_user(village),
            village=village,
            day=DAY,
            rows=_rows(
                ("101", "50", ""), ("501", "", "30"), ("513", "10", ""), ("301", "", "30"), ("502", "", "")
            ),
        )
    errors = refusal.value.errors
    assert len(errors) == 2 and all("income or expense account" in error for error in errors)
    assert "Row 3" in errors[0] and "501" in errors[0] and "Row 4" in errors[1] and "513" in errors[1]
    assert not Voucher.objects.exists()
    # Cost accounts (成本类), like assets, liabilities and equity, have opening balances.
    voucher = opening_balance_import(
        actor=keeper_user(village), village=village, day=DAY, rows=_rows(("401", "20", ""), ("301", "", "20"))
    )
    assert voucher.debit_total == Decimal("20.00")


def test_debits_must_equal_credits(village: Village) -> None:
    with pytest.raises(ImportRefused) as refusal:
        opening_balance_import(
            actor=keeper_user(village),
            village=village,
            day=DAY,
            rows=_rows(("101", "10", ""), ("301", "", "9.99")),
        )
    assert "¥10.00" in refusal.value.errors[0] and "¥9.99" in refusal.value.errors[0]


def test_one_opening_voucher_per_village(village: Village) -> None:
    actor = keeper_user(village)
    opening_balance_import(
        actor=actor, village=village, day=DAY, rows=_rows(("101", "10", ""), ("301", "", "10"))
    )
    with pytest.raises(ValidationError, match="already recorded"):
        opening_balance_import(
            actor=actor, village=village, day=DAY, rows=_rows(("101", "10", ""), ("301", "", "10"))
        )


def test_posted_opening_balances_count_as_of_their_date(village: Village) -> None:
    from assets.services.ledger import voucher_post, voucher_submit
    from assets.tests.ledger_testing import conclude_review

    actor = keeper_user(village)
    voucher = opening_balance_import(
        actor=actor, village=village, day=DAY, rows=_rows(("101", "10", ""), ("301", "", "10"))
    )
    voucher_submit(actor=actor, voucher=voucher)
    conclude_review(voucher)
    voucher_post(actor=actor, voucher=voucher)
    on = {f.account.code: f.balance for f in balances_on(village, day=DAY)}
    before = {f.account.code: f.balance for f in balances_on(village, day=date(2023, 12, 31))}
    assert on["101"] == on["301"] == Decimal("10.00") and before["101"] == 0


# --- the page --------------------------------------------------------------------------------


def _url(village: Village) -> str:
    return reverse("opening_balance_import", args=[village.admin_code])


def _xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("opening.xlsx", buffer.getvalue())


def test_the_template_lists_the_detailed_accounts(village: Village) -> None:
    make_account(village, "10201", "工行")
    response = client_for(make_keeper(village)).get(_url(village), {"template": "1", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    codes = [row[0] for row in rows[1:]]
    assert (
        rows[0][:4] == ("科目编码", "科目名称", "借方余额", "贷方余额")
        and "10201" in codes
        and "102" not in codes
        and "401" in codes
        and "501" not in codes
        and "513" not in codes
    )


def test_uploading_a_workbook(village: Village) -> None:
    client = client_for(make_keeper(village))
    upload = _xlsx(
        [
            ["科目编码", "科目名称", "借方余额", "贷方余额"],
            ["101", "库存现金", 300.5, None],
            ["301", "资本", None, 300.5],
        ]
    )
    response = client.post(_url(village), {"date": "2024-01-01", "file": upload})
    voucher = Voucher.objects.get(village=village, kind=VoucherKind.OPENING)
    assert response.status_code == 302 and voucher.debit_total == Decimal("300.50")


def test_a_bad_csv_is_refused_listing_the_rows(village: Village) -> None:
    content = "\ufeffcode,debit,credit\n101,5,\n301,,4\n".encode()
    response = client_for(make_keeper(village)).post(
        _url(village), {"date": "2024-01-01", "file": SimpleUploadedFile("o.csv", content)}
    )
    assert response.status_code == 400 and "¥5.00" in response.text and not Voucher.objects.exists()


def test_permissions(village: Village, resident: Person, outsider: Person) -> None:
    content = b"code,debit,credit\n101,5,\n301,,5\n"
    for person, status in ((resident, 403), (outsider, 404)):
        upload = SimpleUploadedFile("o.csv", content)
        assert (
            client_for(person).post(_url(village), {"date": "2024-01-01", "file": upload}).status_code
            == status
        )
    assert not Voucher.objects.exists()
