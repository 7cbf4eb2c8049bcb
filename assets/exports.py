"""Tables as XLSX or CSV downloads: the register, the ledger, the trial balance, the
distribution table. Money stays exact: Decimal cells with two places, never floats in CSV.

Text comes from villagers (names, reasons, counterparties): a text that a spreadsheet would take
for a formula (starting with = + - @, a tab or a carriage return) is written as text, never run."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from assets.values import CENT

FORMATS = ("xlsx", "csv")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What makes a spreadsheet read a cell's text as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportFormatRefused(ValueError):
    """An export asked for in a format we do not write; the message says which we do."""


def export_format(request: HttpRequest) -> str:
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        raise ExportFormatRefused(_("Choose XLSX or CSV for the download."))
    return fmt


def _cell(value: object) -> object:
    """Numbers and days as they are (money to the fen), anything else as text."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return value.quantize(CENT) if value.as_tuple().exponent != 0 else value
    if isinstance(value, (int, float, date, datetime)):
        return value
    return str(value)


def _formula_like(value: object) -> bool:
    """A text a spreadsheet would run as a formula (numbers, even negative, are not text)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _csv_text(value: object) -> str:
    value = _cell(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # The apostrophe makes Excel and WPS show the rest as text.
    return "'" + text if _formula_like(value) else text


def _csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_csv_text(header) for header in headers])
    for row in rows:
        writer.writerow([_csv_text(value) for value in row])
    # A byte-order mark, so that Excel opens the Chinese as UTF-8.
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31] or "Sheet"
    sheet.append([_cell(header) for header in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [max(len(str(header)) * 2, 8) for header in headers]
    for row in rows:
        values = [_cell(value) for value in row]
        sheet.append(values)
        for index, value in enumerate(values[: len(widths)]):
            widths[index] = min(max(widths[index], len(str(value)) + 2), 60)
    for row in sheet.iter_rows():
        for cell in row:
            if _formula_like(cell.value):
                # openpyxl stores a text starting with "=" as a formula: keep it a string.
                cell.data_type = "s"
            elif isinstance(cell.value, Decimal):
                cell.number_format = "#,##0.00"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def table_response(
    *,
    fmt: str,
    filename: str,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    totals: Sequence[object] | None = None,
) -> HttpResponse:
    """A download of the table (`fmt` from export_format), with a totals row at the end if given."""
    all_rows = list(rows) + ([list(totals)] if totals is not None else [])
    if fmt == "csv":
        content, content_type = _csv(headers, all_rows), "text/csv; charset=utf-8"
    else:
        content, content_type = _xlsx(title, headers, all_rows), XLSX_TYPE
    response = HttpResponse(content, content_type=content_type)
    # ASCII file names: the village code and a date, readable on every phone.
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
