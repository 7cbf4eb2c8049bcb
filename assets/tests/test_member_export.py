"""The register of members on a day, as XLSX or CSV: number, name, shares, joined, reason."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assets.tests.members_testing import change_shares, make_member
from villagegov.models import Village
from villagegov.testing import make_person

pytestmark = pytest.mark.usefixtures("english")


def _url(village: Village) -> str:
    return reverse("member_export", args=[village.admin_code])


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_of_the_register_on_a_day(village: Village, official_client: Client) -> None:
    first = make_member(village, make_person(village, name="甲"), shares=1, joined_on=date(2020, 1, 1))
    make_member(village, make_person(village, name="乙"), shares=2, joined_on=date(2024, 1, 1))
    make_member(
        village,
        make_person(village, name="丙"),
        shares=3,
        joined_on=date(2020, 1, 1),
        left_on=date(2022, 1, 1),
    )
    change_shares(first, "1.5", effective_on=date(2023, 1, 1))
    response = official_client.get(_url(village), {"format": "csv", "day": "2021-06-30"})
    assert response.status_code == 200
    assert f"members-{village.admin_code}-2021-06-30.csv" in response["Content-Disposition"]
    rows = _csv_rows(response.content)
    assert rows[0] == ["Member number", "Name", "Shares", "Joined", "Reason for joining"]
    assert rows[1][:4] == ["1", "甲", "1.00", "2020-01-01"]
    assert rows[2][:4] == ["3", "丙", "3.00", "2020-01-01"]
    assert rows[-1][0] == "Total" and rows[-1][2] == "4.00"
    later = _csv_rows(official_client.get(_url(village), {"format": "csv", "day": "2024-06-30"}).content)
    assert [row[1] for row in later[1:-1]] == ["甲", "乙"] and later[1][2] == "1.50"


def test_xlsx_today_by_default(village: Village, official_client: Client) -> None:
    make_member(village, make_person(village, name="甲"), shares="2.5")
    response = official_client.get(_url(village))
    assert response.status_code == 200
    assert (
        f"members-{village.admin_code}-{timezone.localdate().isoformat()}.xlsx"
        in response["Content-Disposition"]
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "甲" and Decimal(str(rows[1][2])) == Decimal("2.5")


@pytest.mark.parametrize("params", [{"format": "pdf"}, {"day": "2024-13-01"}, {"day": "yesterday"}])
def test_bad_requests_are_400_with_a_message(
    village: Village, official_client: Client, params: dict[str, str]
) -> None:
    response = official_client.get(_url(village), params)
    assert response.status_code == 400 and response.content


def test_who_may_download(village: Village, resident_client: Client, outsider_client: Client) -> None:
    make_member(village, make_person(village, name="保密成员"))
    assert resident_client.get(_url(village)).status_code == 403
    assert outsider_client.get(_url(village)).status_code == 404
    assert Client().get(_url(village)).status_code == 302
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert outsider_client.get(_url(village), {"day": tomorrow}).status_code == 404
