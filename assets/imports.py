"""Reading an uploaded table (XLSX or CSV) for an import. The importing service validates every
row and refuses the whole file, listing every row's error, or takes it whole: never half."""

import csv
import io
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 20000


class ImportRefused(Exception):
    """The file is refused; `errors` says why, one message per problem (by row where there is one)."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class ImportRow:
    line: int  # the row's number as the spreadsheet shows it
    values: dict[str, str]


def row_error(line: int, message: str) -> str:
    return _("Row %(line)s: %(message)s") % {"line": line, "message": message}


def _text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and hasattr(value, "hour"):  # a datetime cell: the day is what counts
        value = value.date()
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_rows(content: bytes) -> list[list[str]]:
    unreadable = ImportRefused([_("The file could not be read as an Excel workbook (.xlsx).")])
    # The file is untrusted: whatever openpyxl or the XML parser raises on a broken workbook
    # (a valid zip whose sheet is not valid XML, a bad style, a bad number…) refuses it.
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise unreadable from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportRefused([_("The workbook has no sheet.")])
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_text(value) for value in row])
            if len(rows) > MAX_IMPORT_ROWS + 1:
                break
    except ImportRefused:
        raise
    except Exception:
        raise unreadable from None
    finally:
        workbook.close()
    return rows


def _csv_rows(content: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRefused([_("The CSV file is not in UTF-8 or GB18030 text.")])
    if "\x00" in text:
        raise ImportRefused([_("The CSV file is not in UTF-8 or GB18030 text.")])
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    except csv.Error:
        raise ImportRefused([_("The CSV file could not be read.")]) from None


def read_table(upload: UploadedFile, *, columns: dict[str, tuple[str, ...]]) -> list[ImportRow]:
    """The rows of the first sheet (XLSX) or of the CSV, each as {column key: text}, matching the
    header row's cells to `columns` ({key: accepted header names}); blank rows are skipped.
    Optional columns are the caller's business: a missing key is simply absent from `values`."""
    name = (upload.name or "").lower()
    if upload.size is None or upload.size > MAX_IMPORT_BYTES:
        raise ImportRefused([_("The file is larger than 5 MB.")])
    content = upload.read()
    if name.endswith(".xlsx") or content[:2] == b"PK":
        rows = _xlsx_rows(content)
    elif name.endswith(".csv") or name.endswith(".txt"):
        rows = _csv_rows(content)
    else:
        raise ImportRefused([_("Upload an Excel workbook (.xlsx) or a CSV file.")])
    # Numbered as the spreadsheet numbers them, blank rows included, so errors point at the right row.
    numbered = [(line, row) for line, row in enumerate(rows, start=1) if any(cell for cell in row)]
    if not numbered:
        raise ImportRefused([_("The file is empty.")])
    if len(numbered) > MAX_IMPORT_ROWS + 1:
        raise ImportRefused([_("The file has more than %(count)s rows.") % {"count": MAX_IMPORT_ROWS}])
    header = [cell.strip().lower() for cell in numbered[0][1]]
    positions: dict[str, int] = {}
    for key, names in columns.items():
        for index, cell in enumerate(header):
            if cell in {name.lower() for name in names}:
                positions[key] = index
                break
    if not positions:
        expected = "、".join(names[0] for names in columns.values())
        raise ImportRefused([_("The first row must name the columns: %(columns)s.") % {"columns": expected}])
    found = []
    for line, row in numbered[1:]:
        values = {key: (row[index].strip() if index < len(row) else "") for key, index in positions.items()}
        if any(values.values()):
            found.append(ImportRow(line, values))
    if not found:
        raise ImportRefused([_("The file has no rows below its header.")])
    return found
