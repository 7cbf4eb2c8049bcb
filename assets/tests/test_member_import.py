"""Importing the register of members from XLSX or CSV: every row checked, every row's error listed,
nothing written unless every row is valid; then all in one transaction."""

import csv
import io
import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from pytest_django import DjangoAssertNumQueries

from assets.imports import ImportRefused, read_table
from assets.models import JoinReason, Membership, ShareChange
from assets.services.members import IMPORT_COLUMNS, members_import
from assets.tests.members_testing import confirming_resolution, make_member
from consultations.models import Resolution
from villagegov.models import AuditRecord, Person, Role, RoleAssignment, User, Village
from villagegov.testing import make_person

pytestmark = pytest.mark.usefixtures("english")

HEADER = ["成员编号", "姓名", "出生日期", "股份", "入社日期", "加入原因"]
BORN = date(1970, 1, 1)


def _csv(rows: list[list[str]], header: list[str] = HEADER) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile("members.csv", ("\ufeff" + buffer.getvalue()).encode(), content_type="text/csv")


def _xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile("members.xlsx", output.getvalue())


def _import(
    actor: User, village: Village, upload: SimpleUploadedFile, *, resolution: Resolution | None = None
) -> list[Membership]:
    """Import `upload`, confirmed by `resolution` (a new confirming resolution if None)."""
    return members_import(
        actor=actor,
        village=village,
        rows=read_table(upload, columns=IMPORT_COLUMNS),
        resolution=resolution or confirming_resolution(village),
    )


@pytest.fixture
def people(village: Village) -> list[Person]:
    return [make_person(village, name=name, birth_date=BORN) for name in ("张一", "张二", "张三")]


def test_a_good_file_admits_everyone(village: Village, actor: User, people: list[Person]) -> None:
    make_member(village, number=5)
    resolution = confirming_resolution(village)
    upload = _csv(
        [
            ["", "张一", "1970-01-01", "1", "2020-01-01", ""],
            ["10", "张二", "1970/1/1", "2.50", "2020年1月1日", "婚入"],
            ["", "张三", "1970.1.1", "3", "2021-05-01", "birth"],
        ]
    )
    imported = _import(actor, village, upload, resolution=resolution)
    assert [(m.person.name, m.number) for m in imported] == [("张一", 11), ("张二", 10), ("张三", 12)]
    stored = {
        m.person.name: m
        for m in Membership.objects.filter(village=village).select_related("person", "role_term")
    }
    assert (
        stored["张二"].join_reason == JoinReason.MARRIAGE and stored["张三"].join_reason == JoinReason.BIRTH
    )
    assert stored["张一"].join_reason == JoinReason.FOUNDING and stored["张一"].confirmed_by == resolution
    assert stored["张二"].shares == Decimal("2.50") and stored["张三"].joined_on == date(2021, 5, 1)
    assert stored["张三"].role_term.role == Role.COLLECTIVE_MEMBER and stored[
        "张三"
    ].role_term.starts_on == date(2021, 5, 1)
    assert ShareChange.objects.filter(membership__village=village, shares_before=0).count() == 4
    record = AuditRecord.objects.get(action="membership.import")
    assert record.after is not None and len(record.after["members"]) == 3


def test_an_xlsx_with_date_cells_is_read(village: Village, actor: User, people: list[Person]) -> None:
    upload = _xlsx(
        [
            [None, "张一", date(1970, 1, 1), 1.5, date(2020, 1, 1), "原始成员"],
            [7, "张二", "1970-01-01", 2, "2020-01-01", None],
        ]
    )
    imported = _import(actor, village, upload)
    assert sorted((m.number, m.shares) for m in imported) == [(7, Decimal("2.00")), (8, Decimal("1.50"))]


def test_one_bad_row_among_good_ones_writes_nothing_and_is_listed(
    village: Village, actor: User, people: list[Person]
) -> None:
    upload = _csv(
        [
            ["", "张一", "1970-01-01", "1", "2020-01-01", ""],
            ["", "王五", "1970-01-01", "1", "2020-01-01", ""],
            ["", "张三", "1970-01-01", "1", "2020-01-01", ""],
        ]
    )
    with pytest.raises(ImportRefused) as refused:
        _import(actor, village, upload)
    assert refused.value.errors == ["Row 3: no one on the roster is called 王五 and born on 1970-01-01."]
    assert not Membership.objects.exists() and not ShareChange.objects.exists()
    assert not RoleAssignment.objects.filter(role=Role.COLLECTIVE_MEMBER).exists()
    assert not AuditRecord.objects.filter(action="membership.import").exists()


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (["x", "张一", "1970-01-01", "1", "2020-01-01", ""], "not a whole number"),
        (["0", "张一", "1970-01-01", "1", "2020-01-01", ""], "not a whole number"),
        (["-3", "张一", "1970-01-01", "1", "2020-01-01", ""], "not a whole number"),
        (["", "", "1970-01-01", "1", "2020-01-01", ""], "name is missing"),
        (["", "张一", "", "1", "2020-01-01", ""], "date of birth is missing"),
        (["", "张一", "70年", "1", "2020-01-01", ""], "date of birth"),
        (["", "张一", "1970-02-30", "1", "2020-01-01", ""], "date of birth"),
        (["", "张一", "1971-01-01", "1", "2020-01-01", ""], "no one on the roster"),
        (["", "张一", "1970-01-01", "", "2020-01-01", ""], "shares are missing"),
        (["", "张一", "1970-01-01", "abc", "2020-01-01", ""], "not a number"),
        (["", "张一", "1970-01-01", "0", "2020-01-01", ""], "more than 0"),
        (["", "张一", "1970-01-01", "-1", "2020-01-01", ""], "negative"),
        (["", "张一", "1970-01-01", "1.005", "2020-01-01", ""], "two decimal places"),
        (["", "张一", "1970-01-01", "NaN", "2020-01-01", ""], "as a number"),
        (["", "张一", "1970-01-01", "1e12", "2020-01-01", ""], "more shares"),
        # Too large to be rounded to the fen: compared before any rounding, never a crash.
        (["", "张一", "1970-01-01", "1e30", "2020-01-01", ""], "more shares"),
        (["", "张一", "1970-01-01", "1E+999999", "2020-01-01", ""], "more shares"),
        # Digits that str.isdigit takes but int() does not.
        (["²", "张一", "1970-01-01", "1", "2020-01-01", ""], "not a whole number"),
        (["１２", "张一", "1970-01-01", "1", "2020-01-01", ""], "not a whole number"),
        (["99999999999999999999999", "张一", "1970-01-01", "1", "2020-01-01", ""], "not a whole number"),
        (["", "张一", "1970-01-01", "1", "", ""], "day of joining is missing"),
        (["", "张一", "1970-01-01", "1", "soon", ""], "day of joining"),
        (["", "张一", "1970-01-01", "1", "2999-01-01", ""], "future"),
        (["", "张一", "1970-01-01", "1", "2020-01-01", "贿赂"], "reason for joining"),
    ],
)
def test_each_bad_cell_refuses_the_file(
    village: Village, actor: User, people: list[Person], cells: list[str], message: str
) -> None:
    upload = _csv([["", "张二", "1970-01-01", "1", "2020-01-01", ""], cells])
    with pytest.raises(ImportRefused) as refused:
        _import(actor, village, upload)
    assert len(refused.value.errors) == 1
    assert refused.value.errors[0].startswith("Row 3: ") and message in refused.value.errors[0]
    assert not Membership.objects.exists()


def test_every_row_problem_is_listed(village: Village, actor: User, people: list[Person]) -> None:
    make_member(village, people[2], number=4)
    make_person(village, name="同名", birth_date=BORN)
    make_person(village, name="同名", birth_date=BORN)
    upload = _csv(
        [
            ["1", "张一", "1970-01-01", "1", "2020-01-01", ""],
            ["1", "张二", "1970-01-01", "1", "2020-01-01", ""],
            ["", "张一", "1970-01-01", "1", "2020-01-01", ""],
            ["4", "张三", "1970-01-01", "1", "2020-01-01", ""],
            ["", "同名", "1970-01-01", "1", "2020-01-01", ""],
        ]
    )
    with pytest.raises(ImportRefused) as refused:
        _import(actor, village, upload)
    errors = refused.value.errors
    assert errors[0] == "Row 3: member number 1 is already on row 2 of this file."
    assert errors[1] == "Row 4: 张一 is already on row 2 of this file."
    assert errors[2].startswith("Row 5: member number 4 is already taken.")
    assert errors[3] == "Row 5: 张三 is already a member."
    assert errors[4].startswith("Row 6: 2 people on the roster are called 同名")
    assert Membership.objects.count() == 1


def test_people_who_left_the_roster_or_of_another_village_are_not_found(
    village: Village, other_village: Village, actor: User
) -> None:
    make_person(village, name="走了", birth_date=BORN, left_on=date(2023, 1, 1))
    make_person(other_village, name="外村", birth_date=BORN)
    upload = _csv(
        [["", "走了", "1970-01-01", "1", "2020-01-01", ""], ["", "外村", "1970-01-01", "1", "2020-01-01", ""]]
    )
    with pytest.raises(ImportRefused) as refused:
        _import(actor, village, upload)
    assert len(refused.value.errors) == 2 and not Membership.objects.exists()


def test_refused_without_a_confirming_resolution(
    village: Village, other_village: Village, actor: User, people: list[Person]
) -> None:
    rows = read_table(_csv([["", "张一", "1970-01-01", "1", "2020-01-01", ""]]), columns=IMPORT_COLUMNS)
    with pytest.raises(ValidationError, match="Choose the resolution of the members' assembly"):
        members_import(actor=actor, village=village, rows=rows, resolution=None)
    for resolution in (
        confirming_resolution(village, published=False),
        confirming_resolution(village, passed=False),
        confirming_resolution(other_village),
    ):
        with pytest.raises(ValidationError, match="Choose a published resolution"):
            members_import(actor=actor, village=village, rows=rows, resolution=resolution)
    assert not Membership.objects.exists() and not AuditRecord.objects.filter(action="membership.import")


def test_a_former_member_rejoins_only_after_the_earlier_membership_ended(
    village: Village, actor: User, people: list[Person]
) -> None:
    make_member(village, people[0], joined_on=date(2010, 1, 1), left_on=date(2021, 6, 30))
    overlapping = _csv([["", "张一", "1970-01-01", "1", "2021-06-29", ""]])
    with pytest.raises(ImportRefused) as refused:
        _import(actor, village, overlapping)
    assert refused.value.errors == [
        "Row 2: 张一 was a member until 2021-06-30; the day of joining must be that day or later."
    ]
    assert Membership.objects.filter(left_on__isnull=True).count() == 0
    # From the day the earlier membership ended, as one admission allows.
    rejoined = _import(actor, village, _csv([["", "张一", "1970-01-01", "1", "2021-06-30", ""]]))
    assert [(m.person, m.joined_on) for m in rejoined] == [(people[0], date(2021, 6, 30))]


def test_refused_to_a_non_manager(village: Village, resident: Person, people: list[Person]) -> None:
    assert resident.user is not None
    with pytest.raises(ValidationError, match="Only the village committee"):
        _import(resident.user, village, _csv([["", "张一", "1970-01-01", "1", "2020-01-01", ""]]))
    assert not Membership.objects.exists()


def test_two_thousand_rows_in_bounded_queries(
    village: Village,
    actor: User,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    Person.objects.bulk_create(
        Person(village=village, name=f"成员{index}", birth_date=BORN, joined_on=date(2000, 1, 1), gender="F")
        for index in range(2000)
    )
    upload = _csv([["", f"成员{index}", "1970-01-01", "1", "2020-01-01", ""] for index in range(2000)])
    rows = read_table(upload, columns=IMPORT_COLUMNS)
    # Reads, then bulk inserts in batches (SQLite limits a statement's parameters): never a
    # query per row.
    started = time.monotonic()
    resolution = confirming_resolution(village)
    with django_assert_max_num_queries(150):
        imported = members_import(actor=actor, village=village, rows=rows, resolution=resolution)
    assert time.monotonic() - started < 10
    assert len(imported) == 2000 and Membership.objects.filter(village=village).count() == 2000
    assert sorted(m.number for m in imported) == list(range(1, 2001))


# --- the page -------------------------------------------------------------------------------


def _url(village: Village) -> str:
    return reverse("member_import", args=[village.admin_code])


def test_the_page_imports_a_good_file(
    village: Village, official_client: Client, people: list[Person]
) -> None:
    assert official_client.get(_url(village)).status_code == 200
    upload = _csv(
        [["", "张一", "1970-01-01", "1", "2020-01-01", ""], ["", "张二", "1970-01-01", "2", "2020-01-01", ""]]
    )
    resolution = confirming_resolution(village)
    response = official_client.post(_url(village), {"file": upload, "resolution": resolution.pk})
    assert response.status_code == 302 and response["Location"] == reverse(
        "member_list", args=[village.admin_code]
    )
    assert Membership.objects.filter(village=village).count() == 2
    assert not Membership.objects.exclude(confirmed_by=resolution).exists()


def test_the_page_requires_the_confirming_resolution(
    village: Village, official_client: Client, people: list[Person]
) -> None:
    page = official_client.get(_url(village)).content.decode()
    assert "There is no published resolution" in page
    unpublished = confirming_resolution(village, published=False)
    for data in ({}, {"resolution": ""}, {"resolution": unpublished.pk}):
        upload = _csv([["", "张一", "1970-01-01", "1", "2020-01-01", ""]])
        response = official_client.post(_url(village), {"file": upload, **data})
        assert response.status_code == 400
    assert not Membership.objects.exists()


def test_the_page_lists_every_error_of_a_refused_file(
    village: Village, official_client: Client, people: list[Person]
) -> None:
    upload = _csv(
        [["", "张一", "1970-01-01", "1", "2020-01-01", ""], ["", "无名", "1970-01-01", "0", "2020-01-01", ""]]
    )
    resolution = confirming_resolution(village)
    response = official_client.post(_url(village), {"file": upload, "resolution": resolution.pk})
    text = response.content.decode()
    assert response.status_code == 400
    assert (
        "Row 3: no one on the roster is called 无名" in text
        and "Row 3: The shares must be more than 0." in text
    )
    assert not Membership.objects.exists()


def test_the_page_refuses_missing_columns_and_unreadable_files(
    village: Village, official_client: Client
) -> None:
    resolution = confirming_resolution(village).pk
    upload = _csv([["张一", "1"]], header=["姓名", "股份"])
    response = official_client.post(_url(village), {"file": upload, "resolution": resolution})
    assert response.status_code == 400 and "出生日期" in response.content.decode()
    junk = SimpleUploadedFile("members.pdf", b"%PDF-1.4 nothing")
    response = official_client.post(_url(village), {"file": junk, "resolution": resolution})
    assert response.status_code == 400 and "Upload an Excel workbook" in response.content.decode()
    assert official_client.post(_url(village), {}).status_code == 400
    assert not Membership.objects.exists()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_template_can_be_downloaded_and_read_back(
    village: Village, official_client: Client, fmt: str
) -> None:
    response = official_client.get(_url(village), {"template": fmt})
    assert response.status_code == 200 and f".{fmt}" in response["Content-Disposition"]
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        assert [cell.value for cell in sheet[1]] == HEADER
    upload = SimpleUploadedFile(f"template.{fmt}", response.content)
    rows = read_table(upload, columns=IMPORT_COLUMNS)
    assert rows[0].values["name"] == "张三"
    assert official_client.get(_url(village), {"template": "pdf"}).status_code == 400


def test_managers_of_this_village_only(
    village: Village, people: list[Person], resident_client: Client, outsider_client: Client
) -> None:
    def upload() -> SimpleUploadedFile:
        return _csv([["", "张一", "1970-01-01", "1", "2020-01-01", ""]])

    assert resident_client.get(_url(village)).status_code == 403
    assert resident_client.post(_url(village), {"file": upload()}).status_code == 403
    assert outsider_client.post(_url(village), {"file": upload()}).status_code == 404
    anonymous = Client().post(_url(village), {"file": upload()})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    assert not Membership.objects.exists()
