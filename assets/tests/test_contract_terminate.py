"""Terminating a contract early: later instalments no longer owed, the asset idle again unless
another contract runs on it."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assets.models import Asset, AssetStatus, Contract
from assets.selectors.contracts import contract_position
from assets.services.contracts import contract_terminate
from assets.tests.register_testing import make_asset, make_contract, make_receipt, manager, user_of
from villagegov.models import Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")

DUES = [(date(2024, 1, 1), "1000.00"), (date(2024, 7, 1), "1000.00"), (date(2025, 1, 1), "1000.00")]


def _contract(village: Village, asset: Asset | None = None, **kwargs):
    return make_contract(
        asset or make_asset(village), dues=DUES, **({"ends_on": date(2025, 12, 31)} | kwargs)
    )


def test_termination_cancels_later_instalments_and_frees_the_asset(village: Village) -> None:
    contract = _contract(village)
    make_receipt(contract, "1200.00", date(2024, 1, 1))
    contract_terminate(
        actor=user_of(manager(village)),
        contract=contract,
        terminated_on=date(2024, 9, 30),
        reason="承租人退租",
    )
    contract.refresh_from_db()
    position = contract_position(contract, on=date(2025, 6, 1))
    assert position.total == Decimal("2000.00")
    assert position.arrears == Decimal("800.00")
    assert Asset.objects.get(pk=contract.asset_id).status == AssetStatus.IDLE


def test_the_asset_stays_leased_when_another_contract_runs(village: Village) -> None:
    asset = make_asset(village)
    first = _contract(village, asset, starts_on=date(2024, 1, 1), ends_on=date(2025, 12, 31))
    Contract.objects.filter(pk=first.pk).update(ends_on=timezone.localdate() + timedelta(days=400))
    make_contract(
        asset,
        starts_on=timezone.localdate() + timedelta(days=401),
        ends_on=timezone.localdate() + timedelta(days=800),
    )
    contract_terminate(
        actor=user_of(manager(village)), contract=first, terminated_on=date(2024, 9, 30), reason="退租"
    )
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.LEASED


def test_refused_twice_outside_the_term_in_the_future_without_reason(village: Village, resident) -> None:
    contract = _contract(village)
    actor = user_of(manager(village))
    future = timezone.localdate() + timedelta(days=1)
    for day, reason, message in [
        (date(2023, 12, 31), "退租", "within its term"),
        (future, "退租", "at the latest"),
        (date(2024, 5, 1), " ", "reason"),
    ]:
        with pytest.raises(ValidationError, match=message):
            contract_terminate(actor=actor, contract=contract, terminated_on=day, reason=reason)
    with pytest.raises(ValidationError, match="manage contracts"):
        contract_terminate(
            actor=user_of(resident), contract=contract, terminated_on=date(2024, 5, 1), reason="退租"
        )
    contract_terminate(actor=actor, contract=contract, terminated_on=date(2024, 5, 1), reason="退租")
    with pytest.raises(ValidationError, match="already terminated"):
        contract_terminate(actor=actor, contract=contract, terminated_on=date(2024, 5, 2), reason="退租")


def _url(village: Village, contract) -> str:
    return reverse("contract_terminate", args=[village.admin_code, contract.pk])


def test_page_terminates_and_refuses(
    village: Village, resident_client: Client, outsider_client: Client
) -> None:
    contract = _contract(village)
    data = {"terminated_on": "2024-05-01", "reason": "退租"}
    assert resident_client.post(_url(village, contract), data).status_code == 403
    assert outsider_client.post(_url(village, contract), data).status_code == 404
    assert Client().post(_url(village, contract), data).status_code == 302
    client = client_for(manager(village))
    assert client.get(_url(village, contract)).status_code == 405
    assert client.post(_url(village, contract), data | {"terminated_on": "2023-01-01"}).status_code == 400
    assert client.post(_url(village, contract), data | {"reason": ""}).status_code == 400
    contract.refresh_from_db()
    assert contract.terminated_on is None
    response = client.post(_url(village, contract), data)
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.terminated_on == date(2024, 5, 1)
