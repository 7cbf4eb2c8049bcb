import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import RequestFactory
from openpyxl import load_workbook

from assets.exports import ExportFormatRefused, export_format, table_response

HEADERS = ["成员编号", "姓名", "金额"]
ROWS = [[1, "陈大文", Decimal("1234.5")], [2, "李阿婆", Decimal("0.01")]]


def test_csv_keeps_chinese_and_fen_exact_money() -> None:
    response = table_response(
        fmt="csv",
        filename="441900-fenpei",
        title="分配",
        headers=HEADERS,
        rows=ROWS,
        totals=["", "合计", Decimal("1234.51")],
    )
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="441900-fenpei.csv"'
    content = response.content
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [HEADERS, ["1", "陈大文", "1234.50"], ["2", "李阿婆", "0.01"], ["", "合计", "1234.51"]]


def test_xlsx_writes_numbers_and_dates_as_cells() -> None:
    response = table_response(
        fmt="xlsx",
        filename="register",
        title="台账",
        headers=["日期", "金额"],
        rows=[[date(2026, 1, 5), Decimal("9.9")]],
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet.title == "台账"
    assert [cell.value for cell in sheet[1]] == ["日期", "金额"]
    assert sheet["A2"].value.date() == date(2026, 1, 5)
    assert Decimal(str(sheet["B2"].value)) == Decimal("9.90")
    assert sheet["B2"].number_format == "#,##0.00"


@pytest.mark.parametrize("asked, expected", [("", "xlsx"), ("csv", "csv"), ("xlsx", "xlsx")])
def test_export_format(asked: str, expected: str) -> None:
    request = RequestFactory().get("/", {"format": asked} if asked else {})
    assert export_format(request) == expected


@pytest.mark.parametrize("asked", ["pdf", "XLSX", "../etc", "x" * 500])
def test_other_formats_are_refused(asked: str) -> None:
    with pytest.raises(ExportFormatRefused):
        export_format(RequestFactory().get("/", {"format": asked}))


FORMULA_LIKE = ['=HYPERLINK("http://x","点我")', "+1+2", "-3+4", "@SUM(A1)", "\tcmd", "\r=1"]


def test_csv_text_that_a_spreadsheet_would_run_is_escaped_numbers_are_not() -> None:
    response = table_response(
        fmt="csv",
        filename="register",
        title="名册",
        headers=["=标题", "金额"],
        rows=[[text, Decimal("-5.5")] for text in FORMULA_LIKE] + [["陈-大文", -3]],
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["'=标题", "金额"]
    assert [row[0] for row in rows[1:-1]] == ["'" + text for text in FORMULA_LIKE]
    # A negative amount is a number, not text; a dash inside a name is harmless.
    assert {row[1] for row in rows[1:-1]} == {"-5.50"}
    assert rows[-1] == ["陈-大文", "-3"]


def test_xlsx_text_that_looks_like_a_formula_is_a_string_cell() -> None:
    response = table_response(
        fmt="xlsx",
        filename="register",
        title="名册",
        headers=["=标题", "金额"],
        rows=[[text, Decimal("-5.5")] for text in FORMULA_LIKE],
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert (sheet["A1"].value, sheet["A1"].data_type) == ("=标题", "s")
    for index, text in enumerate(FORMULA_LIKE, start=2):
        cell = sheet.cell(row=index, column=1)
        # XML reads a carriage return back as a newline.
        assert (cell.data_type, cell.value) == ("s", text.replace("\r", "\n"))
        amount = sheet.cell(row=index, column=2)
        assert amount.data_type == "n" and Decimal(str(amount.value)) == Decimal("-5.50")
