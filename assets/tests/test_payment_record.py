"""Recording payments (payment_record, and payments_record_all through the pay page's `all=1`
form): only once payment started, once per line, of the line's amount, not dated in the future."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assets.models import Allocation, DistributionPlan, Payment, PaymentMethod
from assets.services.distributions import distribution_pay_start, payment_record, payments_record_all
from assets.tests.distributions_testing import make_plan, publish, ready_to_pay
from villagegov.models import AuditRecord, Person, User, Village
from villagegov.tests.hostile_testing import in_chinese, refusal_text

pytestmark = pytest.mark.usefixtures("english")


def _paying(village: Village, actor: User, **fields: object) -> DistributionPlan:
    return distribution_pay_start(actor=actor, plan=ready_to_pay(village, actor, **fields))


def _first_line(plan: DistributionPlan) -> Allocation:
    return Allocation.objects.filter(plan=plan).order_by("membership__number").first()  # type: ignore[return-value]


def test_records_one_payment_of_the_lines_amount_once(village: Village, actor: User) -> None:
    plan = _paying(village, actor, income="1000.00", shares=("1", "2"))
    line = _first_line(plan)
    today = timezone.localdate()
    payment = payment_record(
        actor=actor, allocation=line, paid_on=today, method=PaymentMethod.CASH, reference=" 收据001 "
    )
    assert (payment.amount, payment.reference, payment.method) == (Decimal("300.00"), "收据001", "cash")
    assert AuditRecord.objects.filter(action="payment.record").count() == 1
    with pytest.raises(ValidationError, match="member 1 is already recorded"):
        payment_record(actor=actor, allocation=line, paid_on=today, method=PaymentMethod.CASH)
    assert Payment.objects.count() == 1


def test_a_line_as_large_as_a_plan_distributes_is_held_and_paid(village: Village, actor: User) -> None:
    plan = _paying(village, actor, income="1000.00", shares=("1",))
    # One member's line can be the whole amount distributed, whose column has 16 digits (15 here:
    # what SQLite's floating storage gives back exactly).
    large = Decimal("1234567890123.45")
    Allocation.objects.filter(plan=plan).update(amount=large)
    line = _first_line(plan)
    line.full_clean()
    payment = payment_record(actor=actor, allocation=line, paid_on=timezone.localdate(), method="bank")
    payment.full_clean()
    assert Payment.objects.get().amount == large


def test_refused_before_payment_started(village: Village, actor: User) -> None:
    plan = publish(make_plan(village, actor))
    with pytest.raises(ValidationError, match="has not started"):
        payment_record(actor=actor, allocation=_first_line(plan), paid_on=timezone.localdate(), method="bank")
    with pytest.raises(ValidationError, match="has not started"):
        payments_record_all(actor=actor, plan=plan, paid_on=timezone.localdate(), method="bank")
    assert not Payment.objects.exists()


def test_refused_a_future_or_earlier_day_or_an_unknown_method(village: Village, actor: User) -> None:
    plan = _paying(village, actor)
    line = _first_line(plan)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="cannot be dated after today"):
        payment_record(actor=actor, allocation=line, paid_on=today + timedelta(days=1), method="bank")
    with pytest.raises(ValidationError, match="cannot be dated earlier"):
        payment_record(actor=actor, allocation=line, paid_on=today - timedelta(days=1), method="bank")
    with pytest.raises(ValidationError, match="how it was paid"):
        payment_record(actor=actor, allocation=line, paid_on=today, method="cheque")
    assert not Payment.objects.exists()


def test_refused_to_a_resident(village: Village, actor: User, resident: Person) -> None:
    plan = _paying(village, actor)
    assert resident.user is not None
    with pytest.raises(ValidationError, match="manage distributions"):
        payment_record(
            actor=resident.user, allocation=_first_line(plan), paid_on=timezone.localdate(), method="bank"
        )
    assert not Payment.objects.exists()


def test_pay_all_records_the_unpaid_rest(village: Village, actor: User) -> None:
    plan = _paying(village, actor, income="1000.00", shares=("1", "1", "1"))
    today = timezone.localdate()
    payment_record(actor=actor, allocation=_first_line(plan), paid_on=today, method=PaymentMethod.CASH)
    payments = payments_record_all(
        actor=actor, plan=plan, paid_on=today, method=PaymentMethod.BANK, reference="批次7"
    )
    assert len(payments) == 2
    assert sum(p.amount for p in Payment.objects.all()) == plan.distributable
    assert set(Payment.objects.values_list("method", flat=True)) == {"cash", "bank"}
    record = AuditRecord.objects.get(action="payment.record_all")
    assert record.after is not None and record.after["count"] == 2
    with pytest.raises(ValidationError, match="already recorded"):
        payments_record_all(actor=actor, plan=plan, paid_on=today, method=PaymentMethod.BANK)


# --- The pages -----------------------------------------------------------------------------------


def _url(line: Allocation) -> str:
    return reverse("payment_record", args=[line.plan.village.admin_code, line.plan_id, line.pk])


def _data(**fields: str) -> dict[str, str]:
    data = {"paid_on": timezone.localdate().isoformat(), "method": "bank", "reference": "回单1"}
    data.update(fields)
    return data


def test_page_records_one(village: Village, actor: User, official_client: Client) -> None:
    line = _first_line(_paying(village, actor))
    response = official_client.post(_url(line), _data())
    assert response.status_code == 302
    assert Payment.objects.get().allocation == line


def test_page_pays_all_with_all_1(village: Village, actor: User, official_client: Client) -> None:
    plan = _paying(village, actor)
    url = reverse("distribution_pay_start", args=[village.admin_code, plan.pk])
    response = official_client.post(url, {**_data(), "all": "1"})
    assert response.status_code == 302
    assert Payment.objects.count() == 3


@pytest.mark.parametrize(
    "fields",
    [
        {"paid_on": "nonsense"},
        {"paid_on": "TOMORROW"},
        {"method": "cheque"},
        {"reference": "x" * 101},
    ],
)
def test_page_refuses_bad_input_with_400(
    village: Village, actor: User, official_client: Client, fields: dict[str, str]
) -> None:
    plan = _paying(village, actor)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    data = _data(**{k: tomorrow if v == "TOMORROW" else v for k, v in fields.items()})
    assert official_client.post(_url(_first_line(plan)), data).status_code == 400
    url = reverse("distribution_pay_start", args=[village.admin_code, plan.pk])
    assert official_client.post(url, {**data, "all": "1"}).status_code == 400
    assert not Payment.objects.exists()


def test_page_permissions_and_bad_ids(
    village: Village,
    other_village: Village,
    actor: User,
    official_client: Client,
    resident_client: Client,
    outsider_client: Client,
) -> None:
    plan = _paying(village, actor)
    line = _first_line(plan)
    assert official_client.get(_url(line)).status_code == 405
    assert resident_client.post(_url(line), _data()).status_code == 403
    assert outsider_client.post(_url(line), _data()).status_code == 404
    assert Client().post(_url(line), _data()).status_code == 302
    other_plan = make_plan(village, actor, income=None, shares=None)
    wrong = reverse("payment_record", args=[village.admin_code, other_plan.pk, line.pk])
    assert official_client.post(wrong, _data()).status_code == 404
    assert not Payment.objects.exists()


def test_page_says_in_chinese_why_a_plan_not_being_paid_out_is_not_paid(
    village: Village, actor: User, official_client: Client
) -> None:
    line = _first_line(ready_to_pay(village, actor))
    with in_chinese():
        response = official_client.post(_url(line), _data())
        invalid = official_client.post(_url(line), _data(paid_on="nonsense"))
    assert response.status_code == 400
    assert "此方案尚未开始兑现：各项程序完成后方可开始。" in refusal_text(response.content.decode())
    assert invalid.status_code == 400 and "请填写正确的日期。" in refusal_text(invalid.content.decode())
    assert not Payment.objects.exists()
