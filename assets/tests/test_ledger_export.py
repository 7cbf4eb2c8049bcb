"""Downloads of the vouchers, the trial balance and the statement, as XLSX or CSV."""

import io
from datetime import date

from django.urls import reverse
from openpyxl import load_workbook

from assets.models import VoucherState
from assets.tests.ledger_testing import make_keeper, make_voucher
from villagegov.models import Person, Village
from villagegov.testing import client_for


def _get(village: Village, **params: str):
    return client_for(make_keeper(village)).get(reverse("ledger_export", args=[village.admin_code]), params)


def _csv(response) -> list[list[str]]:
    import csv

    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_vouchers_as_csv_with_the_filters(village: Village) -> None:
    make_voucher(village, [("101", "12.30", 0), ("50101", 0, "12.30")], summary="租金", day=date(2024, 3, 1))
    make_voucher(village, [("513", "5", 0), ("101", 0, "5")], summary="文具", state=VoucherState.SUBMITTED)
    response = _get(village, what="vouchers", format="csv", state="posted")
    assert response.status_code == 200 and village.admin_code in response["Content-Disposition"]
    rows = _csv(response)
    assert len(rows) == 3 and rows[1][3] == "租金" and rows[1][4] == "101" and rows[1][7] == "12.30"


def test_trial_balance_as_xlsx_with_exact_money(village: Village) -> None:
    make_voucher(village, [("101", "0.10", 0), ("501", 0, "0.10")], day=date(2024, 3, 1))
    make_voucher(village, [("101", "0.20", 0), ("501", 0, "0.20")], day=date(2024, 3, 2))
    response = _get(village, what="trial_balance", format="xlsx", start="2024-01-01", end="2024-12-31")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    cash = next(row for row in rows if row[0] == "101")
    assert str(cash[4]) == "0.3" and rows[-1][1] is not None and str(rows[-1][4]) == "0.3"


def test_statement_as_csv(village: Village) -> None:
    make_voucher(village, [("101", "100", 0), ("501", 0, "100")], day=date(2024, 2, 1))
    rows = _csv(_get(village, what="statement", format="csv", year="2024"))
    income = next(row for row in rows if row[0] == "501")
    assert income[3] == "100.00" and income[-1] == "100.00" and rows[-1][-1] == "100.00"


def test_unknown_format_or_table_is_refused(village: Village) -> None:
    assert _get(village, what="vouchers", format="pdf").status_code == 400
    assert _get(village, what="everything", format="csv").status_code == 400


def test_permissions(village: Village, resident: Person, outsider: Person) -> None:
    url = reverse("ledger_export", args=[village.admin_code])
    assert client_for(resident).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
