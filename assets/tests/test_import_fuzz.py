"""Hostile tables to every import: the register of members (member_import) and the opening
balances (opening_balance_import).

Random bytes under any name, zips that are not workbooks, workbooks and CSV files whose cells are
huge numbers, formulas, dates that do not exist, names and ids of another village, with columns
missing, doubled or extra, rows repeated, in UTF-8, UTF-8 with a BOM, GBK, UTF-16 or Latin-1. Each
is refused with the reason in Chinese and nothing imported (no row anywhere), or, should a file be
good after all, taken whole. Never a 500.
"""

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from assets.models import Membership, Voucher
from assets.tests.members_testing import confirming_resolution
from villagegov.models import AuditRecord
from villagegov.testing import client_for
from villagegov.tests.hostile_testing import (
    explained_in_chinese,
    hostile_settings,
    hostile_text,
    refusal_text,
    table_fingerprint,
)
from villagegov.tests.test_permission_walker import World, world  # noqa: F401  (fixture)

MEMBER_HEADER = ["成员编号", "姓名", "出生日期", "股份", "入社日期", "加入原因"]
OPENING_HEADER = ["科目编码", "科目名称", "借方余额", "贷方余额"]

cells = st.one_of(
    hostile_text,
    st.sampled_from(
        [
            "=1+1",
            '=HYPERLINK("http://evil.example","点我")',
            "@SUM(A1:A9)",
            "+cmd|' /C calc'!A0",
            "1" + "0" * 400,
            "1e309",
            "-0",
            "1,000,000,000,000,000",
            "101",  # the cash account: real, but with a hostile amount beside it
            "保密村民",
            "王主任",  # a person of another village
            "1970-01-01",
            "2024年2月30日",
            "founding",
        ]
    ),
)
# Header rows: the right one, shuffled, some columns missing or doubled, strangers added.
JUNK_COLUMNS = ["id", "village", "=cmd", "姓名", "备注", ""]


def headers(columns: list[str]) -> st.SearchStrategy[list[str]]:
    return st.one_of(
        st.just(columns),
        st.permutations(columns),
        st.lists(st.sampled_from(columns + JUNK_COLUMNS), max_size=len(columns) + 2),
    )


def tables(columns: list[str]) -> st.SearchStrategy[list[list[str]]]:
    rows = st.lists(st.lists(cells, max_size=len(columns) + 1), max_size=5)
    repeated = rows.map(lambda body: body + body[:2])  # duplicate rows
    return st.tuples(headers(columns), st.one_of(rows, repeated)).map(lambda t: [t[0], *t[1]])


_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def as_csv(table: list[list[str]], encoding: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    return buffer.getvalue().encode(encoding, "replace")


def as_xlsx(table: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in table:
        # XML cannot hold control characters: openpyxl would refuse to write them.
        sheet.append([_NOT_IN_XML.sub("", cell) for cell in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def broken_zip(garbage: bytes) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types" + garbage)
        archive.writestr("xl/workbook.xml", garbage)
    return output.getvalue()


def files(columns: list[str]) -> st.SearchStrategy[tuple[str, bytes]]:
    encodings = st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16", "latin-1"])
    return st.one_of(
        st.tuples(
            st.sampled_from(["table.csv", "table.txt"]),
            st.tuples(tables(columns), encodings).map(lambda t: as_csv(*t)),
        ),
        st.tuples(st.just("table.xlsx"), tables(columns).map(as_xlsx)),
        st.tuples(
            st.sampled_from(["table.xlsx", "table.csv", "table.exe", "table"]), st.binary(max_size=2000)
        ),
        st.tuples(st.just("table.xlsx"), st.binary(max_size=300).map(broken_zip)),
        st.tuples(
            st.just("table.xlsx"), st.binary(max_size=300).map(lambda garbage: b"PK\x03\x04" + garbage)
        ),
        st.tuples(st.just("table.csv"), st.just(b"")),
    )


@dataclass
class Import:
    url: str
    fields: dict[str, object]
    columns: list[str]
    imported: Callable[[], int]  # how many of what the import makes exist


def import_of(world: World, name: str) -> Import:  # noqa: F811
    code = world.village.admin_code
    if name == "member_import":
        resolution = confirming_resolution(world.village)
        return Import(
            reverse(name, kwargs={"village_code": code}),
            {"resolution": resolution.pk},
            MEMBER_HEADER,
            Membership.objects.count,
        )
    assert name == "opening_balance_import"
    return Import(
        reverse(name, kwargs={"village_code": code}),
        {"date": "2024-01-01"},
        OPENING_HEADER,
        Voucher.objects.count,
    )


@pytest.mark.parametrize("name", ["member_import", "opening_balance_import"])
def test_hostile_tables_are_refused_in_chinese_and_import_nothing(world: World, name: str) -> None:  # noqa: F811
    the_import = import_of(world, name)
    client = client_for(world.official)

    @hostile_settings()
    @given(file=files(the_import.columns))
    def post(file: tuple[str, bytes]) -> None:
        file_name, content = file
        before, imported, audited = table_fingerprint(), the_import.imported(), AuditRecord.objects.count()
        upload = SimpleUploadedFile(file_name, content)
        response = client.post(the_import.url, the_import.fields | {"file": upload})
        assert response.status_code < 500, (name, file, response.status_code)
        if response.status_code == 302:
            # A file that happened to be good: taken whole, with its audit record.
            assert the_import.imported() > imported and AuditRecord.objects.count() > audited
            return
        assert response.status_code == 400, (name, response.status_code)
        html = response.content.decode()
        assert explained_in_chinese(html), (name, file, refusal_text(html))
        assert table_fingerprint() == before, ("a refused import wrote something", name, file)

    post()
