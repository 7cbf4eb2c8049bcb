"""Each recorded payment is sealed in the audit log (one record seals a whole batch):
`verify_audit_log` names a payment changed, removed or swapped afterwards with raw SQL, and one
recorded behind the services' back."""

from collections.abc import Callable

import pytest
from django.utils import timezone

from assets.models import Allocation, DistributionPlan, Payment, PaymentMethod
from assets.services.distributions import distribution_pay_start, payment_record, payments_record_all
from assets.tests.distributions_testing import ready_to_pay
from villagegov.models import AuditRecord, User, Village
from villagegov.seals import SEALS_KEY
from villagegov.tests.tamper_testing import seal_what_builders_made, swap, tamper, verify, verify_fails

pytestmark = pytest.mark.usefixtures("english")

PAYMENT = Payment._meta.db_table


def paid(village: Village, actor: User) -> list[Payment]:
    """Four members with different shares: the first paid alone, the other three in one batch."""
    plan: DistributionPlan = distribution_pay_start(
        actor=actor, plan=ready_to_pay(village, actor, income="1000.00", shares=("1", "2", "3", "4"))
    )
    seal_what_builders_made()
    today = timezone.localdate()
    first = Allocation.objects.filter(plan=plan).order_by("membership__number").first()
    assert first is not None
    payment_record(actor=actor, allocation=first, paid_on=today, method=PaymentMethod.CASH, reference="收据1")
    payments_record_all(actor=actor, plan=plan, paid_on=today, method=PaymentMethod.BANK)
    return list(Payment.objects.order_by("allocation__membership__number"))


def name(payment: Payment) -> str:
    return f"assets.payment #{payment.pk}"


def test_recorded_payments_pass_untouched(village: Village, actor: User) -> None:
    payments = paid(village, actor)
    batch = AuditRecord.objects.get(action="payment.record_all")
    assert batch.after is not None
    assert set(batch.after[SEALS_KEY]) == {f"assets.payment:{p.pk}" for p in payments[1:]}
    assert "every sealed row matches" in verify()


Tamper = Callable[[list[Payment]], object]
CASES: list[tuple[str, Tamper]] = [
    (
        "altered",
        lambda p: tamper(f"UPDATE {PAYMENT} SET amount = amount + 1 WHERE id = %s", [p[1].pk], PAYMENT),
    ),
    (
        "reference",
        lambda p: tamper(f"UPDATE {PAYMENT} SET reference = %s WHERE id = %s", ["改", p[1].pk], PAYMENT),
    ),
    ("swapped", lambda p: swap(PAYMENT, "amount", p[1].pk, p[2].pk)),
]


@pytest.mark.parametrize("tampering", [t for _, t in CASES], ids=[i for i, _ in CASES])
def test_a_payment_changed_afterwards_is_named(village: Village, actor: User, tampering: Tamper) -> None:
    payments = paid(village, actor)
    tampering(payments)
    assert f"{name(payments[1])} (row): row altered" in verify_fails()


def test_a_payment_removed_is_named(village: Village, actor: User) -> None:
    payments = paid(village, actor)
    tamper(f"DELETE FROM {PAYMENT} WHERE id = %s", [payments[0].pk], PAYMENT)
    assert f"{name(payments[0])}: row removed" in verify_fails()


def test_a_payment_recorded_behind_the_services_back_is_not_in_the_audit_log(
    village: Village, actor: User
) -> None:
    plan = distribution_pay_start(actor=actor, plan=ready_to_pay(village, actor, shares=("1", "2")))
    seal_what_builders_made()
    line = Allocation.objects.filter(plan=plan).first()
    assert line is not None
    forged = Payment.objects.create(
        allocation=line,
        amount=line.amount,
        paid_on=timezone.localdate(),
        method=PaymentMethod.CASH,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    assert f"{name(forged)}: row not in the audit log" in verify_fails()
