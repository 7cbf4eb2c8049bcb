"""On PostgreSQL any plain UPDATE or DELETE (the app's too) is refused: to change or delete a
recorded payment."""

from collections.abc import Callable

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from assets.models import Payment, PaymentMethod
from assets.services.distributions import distribution_pay_start, payments_record_all
from assets.tests.distributions_testing import ready_to_pay
from villagegov.models import User, Village

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the payments' guard trigger is PostgreSQL's (SQLite has none)"
)


def refused(action: Callable[[], object]) -> None:
    """The trigger refuses (its message says so), not some other check."""
    with pytest.raises(IntegrityError, match="refused"), transaction.atomic():
        action()


def test_a_recorded_payment_is_never_changed_or_deleted(village: Village, actor: User) -> None:
    plan = distribution_pay_start(actor=actor, plan=ready_to_pay(village, actor, shares=("1", "2")))
    payments_record_all(actor=actor, plan=plan, paid_on=timezone.localdate(), method=PaymentMethod.BANK)
    payments = Payment.objects.all()
    amounts = sorted(payments.values_list("amount", flat=True))
    refused(lambda: payments.update(reference="改"))
    refused(lambda: payments.delete())
    assert sorted(payments.values_list("amount", flat=True)) == amounts
    assert set(payments.values_list("reference", flat=True)) == {""}
