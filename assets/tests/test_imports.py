import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from assets.imports import ImportRefused, read_table, row_error

COLUMNS: dict[str, tuple[str, ...]] = {
    "number": ("成员编号", "number"),
    "name": ("姓名", "name"),
    "shares": ("股份", "shares"),
}


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_reads_an_xlsx_by_its_header_names() -> None:
    content = _xlsx([["姓名", "股份", "备注"], ["陈大文", 1.5, "x"], [None, None, None], ["李阿婆", 2, ""]])
    rows = read_table(SimpleUploadedFile("名册.xlsx", content), columns=COLUMNS)
    assert [(row.line, row.values) for row in rows] == [
        (2, {"name": "陈大文", "shares": "1.5"}),
        (4, {"name": "李阿婆", "shares": "2"}),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_reads_a_csv_in_the_encodings_villages_use(encoding: str) -> None:
    content = "number,姓名,股份\n7,陈大文,1\n".encode(encoding)
    rows = read_table(SimpleUploadedFile("roster.csv", content), columns=COLUMNS)
    assert rows[0].values == {"number": "7", "name": "陈大文", "shares": "1"}


@pytest.mark.parametrize(
    "name, content",
    [
        ("roster.pdf", b"%PDF-1.4"),
        ("roster.xlsx", b"PK\x03\x04 not a workbook"),
        ("roster.csv", b""),
        ("roster.csv", "甲,乙\n1,2\n".encode()),  # no known column
        ("roster.csv", "姓名,股份\n".encode()),  # a header and nothing under it
        ("roster.csv", b"\xff\xfe\x00\x00binary"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(name: str, content: bytes) -> None:
    with translation.override("zh-hans"), pytest.raises(ImportRefused) as refused:
        read_table(SimpleUploadedFile(name, content), columns=COLUMNS)
    assert refused.value.errors and all(error.strip() for error in refused.value.errors)


def test_row_errors_name_the_row_in_the_readers_language() -> None:
    with translation.override("en"):
        assert row_error(3, "bad") == "Row 3: bad"


def _with_sheet(content: bytes, sheet_xml: bytes) -> bytes:
    """The workbook `content` with its first sheet's XML replaced by `sheet_xml`."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else data)
    return output.getvalue()


@pytest.mark.parametrize(
    "sheet_xml",
    [
        b"this is not XML <<<",
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData><row><c><v>1</v></c>",  # cut off in the middle
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="n"><v>not a number</v></c></row></sheetData></worksheet>',
    ],
)
def test_a_zip_whose_sheet_is_broken_is_refused_not_a_crash(sheet_xml: bytes) -> None:
    content = _with_sheet(_xlsx([["姓名", "股份"], ["陈大文", 1]]), sheet_xml)
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        read_table(SimpleUploadedFile("roster.xlsx", content), columns=COLUMNS)
    assert refused.value.errors == ["The file could not be read as an Excel workbook (.xlsx)."]
