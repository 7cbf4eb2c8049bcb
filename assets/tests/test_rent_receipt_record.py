"""Recording rent received: more than zero, not after today, never more than still owed."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assets.models import RentReceipt
from assets.selectors.contracts import contract_position
from assets.services.contracts import rent_receipt_record
from assets.tests.register_testing import make_asset, make_contract, make_receipt, manager, user_of
from villagegov.models import AuditRecord, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")

DUES = [(date(2024, 1, 1), "1000.00"), (date(2025, 1, 1), "1000.00")]


def _contract(village: Village, **kwargs):
    return make_contract(make_asset(village), dues=DUES, ends_on=date(2025, 12, 31), **kwargs)


def test_receipts_reduce_the_arrears_to_the_fen(village: Village) -> None:
    contract = _contract(village)
    actor = user_of(manager(village))
    rent_receipt_record(
        actor=actor, contract=contract, received_on=date(2024, 2, 1), amount=Decimal("999.99"), method="bank"
    )
    position = contract_position(contract, on=date(2024, 3, 1))
    assert position.arrears == Decimal("0.01")
    rent_receipt_record(
        actor=actor, contract=contract, received_on=date(2024, 3, 1), amount=Decimal("0.01"), method="cash"
    )
    assert contract_position(contract, on=date(2024, 3, 2)).arrears == 0
    assert AuditRecord.objects.filter(action="rent_receipt.record").count() == 2


def test_overpayment_is_refused_to_the_fen(village: Village) -> None:
    contract = _contract(village)
    make_receipt(contract, "1500.00", date(2024, 1, 1))
    actor = user_of(manager(village))
    with pytest.raises(ValidationError, match=r"more than the ¥500\.00 still owed"):
        rent_receipt_record(
            actor=actor,
            contract=contract,
            received_on=date(2024, 2, 1),
            amount=Decimal("500.01"),
            method="bank",
        )
    rent_receipt_record(
        actor=actor, contract=contract, received_on=date(2024, 2, 1), amount=Decimal("500.00"), method="bank"
    )
    assert RentReceipt.objects.count() == 2


def test_after_termination_only_what_is_still_owed_may_be_received(village: Village) -> None:
    contract = _contract(village, terminated_on=date(2024, 6, 30))
    with pytest.raises(ValidationError, match="still owed"):
        rent_receipt_record(
            actor=user_of(manager(village)),
            contract=contract,
            received_on=date(2024, 7, 1),
            amount=Decimal("1000.01"),
            method="bank",
        )


def test_refused_zero_future_bad_method_and_a_resident(village: Village, resident) -> None:
    contract = _contract(village)
    actor = user_of(manager(village))
    tomorrow = timezone.localdate() + timedelta(days=1)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"amount": Decimal("0")}, "more than zero"),
        ({"amount": Decimal("1.001")}, "two decimal places"),
        ({"received_on": tomorrow}, "after today"),
        ({"method": "bitcoin"}, "how the rent was paid"),
    ]
    for change, message in cases:
        values: dict[str, Any] = {
            "actor": actor,
            "contract": contract,
            "received_on": date(2024, 2, 1),
            "amount": Decimal(1),
            "method": "bank",
        } | change
        with pytest.raises(ValidationError, match=message):
            rent_receipt_record(**values)
    with pytest.raises(ValidationError, match="manage contracts"):
        rent_receipt_record(
            actor=user_of(resident),
            contract=contract,
            received_on=date(2024, 2, 1),
            amount=Decimal(1),
            method="bank",
        )
    assert not RentReceipt.objects.exists()


def _url(village: Village, contract) -> str:
    return reverse("rent_receipt_record", args=[village.admin_code, contract.pk])


def test_page_records_and_refuses(village: Village) -> None:
    contract = _contract(village)
    client = client_for(manager(village))
    data = {"received_on": "2024-02-01", "amount": "1000.00", "method": "bank", "reference": "银行回单001"}
    response = client.post(_url(village, contract), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("contract_detail", args=[village.admin_code, contract.pk])
    assert client.post(_url(village, contract), data | {"amount": "1000.01"}).status_code == 400
    assert client.post(_url(village, contract), data | {"amount": "-5"}).status_code == 400
    assert client.post(_url(village, contract), data | {"received_on": "x"}).status_code == 400
    assert client.get(_url(village, contract)).status_code == 405
    assert RentReceipt.objects.count() == 1


def test_page_permissions(
    village: Village, resident_client: Client, outsider_client: Client, other_village: Village
) -> None:
    contract = _contract(village)
    data = {"received_on": "2024-02-01", "amount": "10.00", "method": "bank"}
    assert resident_client.post(_url(village, contract), data).status_code == 403
    assert outsider_client.post(_url(village, contract), data).status_code == 404
    assert Client().post(_url(village, contract), data).status_code == 302
    elsewhere = _contract(other_village)
    assert client_for(manager(village)).post(_url(village, elsewhere), data).status_code == 404
    assert not RentReceipt.objects.exists()
