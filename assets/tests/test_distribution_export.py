"""The distribution table's download (分配明细表) as XLSX or CSV: number, name, shares, amount,
paid on, method, and a totals row; the same visibility as the plan's page."""

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assets.models import Allocation, DistributionPlan
from assets.services.distributions import distribution_pay_start, payment_record
from assets.tests.distributions_testing import make_plan, publish, ready_to_pay
from assets.tests.members_testing import make_member
from villagegov.models import User, Village
from villagegov.testing import make_person

pytestmark = pytest.mark.usefixtures("english")


def _url(plan: DistributionPlan, fmt: str = "xlsx") -> str:
    return reverse("distribution_export", args=[plan.village.admin_code, plan.pk]) + f"?format={fmt}"


def _paid_plan(village: Village, actor: User) -> DistributionPlan:
    for name in ("张三", "李四"):
        make_member(village, make_person(village, name=name), shares="1")
    plan = distribution_pay_start(
        actor=actor, plan=ready_to_pay(village, actor, income="1000.00", shares=None)
    )
    first = Allocation.objects.filter(plan=plan).order_by("membership__number").first()
    assert first is not None
    payment_record(actor=actor, allocation=first, paid_on=timezone.localdate(), method="bank")
    return plan


def test_csv_with_bom_lines_and_totals(village: Village, actor: User, official_client: Client) -> None:
    plan = _paid_plan(village, actor)
    response = official_client.get(_url(plan, "csv"))
    assert response.status_code == 200
    assert f"distribution-{village.admin_code}-" in response["Content-Disposition"]
    content = response.content
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == ["Member number", "Name", "Shares", "Amount (¥)", "Paid on", "How it was paid"]
    assert rows[1][:4] == ["1", "张三", "1.00", "450.00"] and rows[1][4] == timezone.localdate().isoformat()
    assert rows[2][:4] == ["2", "李四", "1.00", "450.00"] and rows[2][4] == ""
    assert rows[3][0] == "Total" and rows[3][3] == "900.00"


def test_xlsx_keeps_money_as_numbers(village: Village, actor: User, official_client: Client) -> None:
    plan = _paid_plan(village, actor)
    response = official_client.get(_url(plan))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][1] == "张三" and Decimal(str(values[1][3])) == Decimal("450.00")
    assert Decimal(str(values[-1][3])) == Decimal("900.00")


def test_other_formats_are_400(village: Village, actor: User, official_client: Client) -> None:
    plan = publish(make_plan(village, actor))
    response = official_client.get(_url(plan, "pdf"))
    assert response.status_code == 400
    assert "XLSX or CSV" in response.content.decode()


def test_same_visibility_as_the_page(
    village: Village, actor: User, resident_client: Client, outsider_client: Client
) -> None:
    plan = make_plan(village, actor)
    assert resident_client.get(_url(plan)).status_code == 404
    publish(plan)
    assert resident_client.get(_url(plan)).status_code == 200
    assert outsider_client.get(_url(plan)).status_code == 404
    assert Client().get(_url(plan)).status_code == 302


@pytest.mark.parametrize("members", [5, 60])
def test_queries_do_not_grow_with_members(
    village: Village,
    actor: User,
    official_client: Client,
    django_assert_max_num_queries: object,
    members: int,
) -> None:
    plan = publish(make_plan(village, actor, shares=[1] * members))
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert official_client.get(_url(plan, "csv")).status_code == 200
