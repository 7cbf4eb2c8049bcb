"""Valuations: kept as history; the current value is that of the latest valuation."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assets.models import Asset, Valuation
from assets.services.register import valuation_record
from assets.tests.register_testing import make_asset, manager, user_of
from villagegov.models import Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


def test_the_latest_valuation_by_date_is_the_current_value(village: Village) -> None:
    asset = make_asset(village, acquisition_value="1000.00")
    actor = user_of(manager(village))
    valuation_record(
        actor=actor, asset=asset, valued_on=date(2024, 6, 1), value=Decimal("1500.00"), basis="评估报告1"
    )
    valuation_record(
        actor=actor, asset=asset, valued_on=date(2023, 6, 1), value=Decimal("1200.00"), basis="补录"
    )
    asset.refresh_from_db()
    assert asset.current_value == Decimal("1500.00") and asset.acquisition_value == Decimal("1000.00")
    valuation_record(
        actor=actor, asset=asset, valued_on=date(2024, 6, 1), value=Decimal("0.00"), basis="报废"
    )
    asset.refresh_from_db()
    assert asset.current_value == 0
    assert Valuation.objects.count() == 3


def test_refusals(village: Village, resident) -> None:
    asset = make_asset(village)
    actor = user_of(manager(village))
    cases: list[tuple[dict[str, Any], str]] = [
        ({"value": Decimal("-1")}, "negative"),
        ({"valued_on": timezone.localdate() + timedelta(days=1)}, "after today"),
        ({"basis": " "}, "basis"),
        ({"actor": user_of(resident)}, "keep the"),
    ]
    for change, message in cases:
        values: dict[str, Any] = {
            "actor": actor,
            "asset": asset,
            "valued_on": date(2024, 1, 1),
            "value": Decimal(1),
            "basis": "x",
        } | change
        with pytest.raises(ValidationError, match=message):
            valuation_record(**values)
    assert not Valuation.objects.exists()


def test_page(village: Village, resident_client: Client, outsider_client: Client) -> None:
    asset = make_asset(village)
    url = reverse("valuation_record", args=[village.admin_code, asset.pk])
    data = {"valued_on": "2024-01-01", "value": "2000.00", "basis": "评估"}
    assert resident_client.post(url, data).status_code == 403
    assert outsider_client.post(url, data).status_code == 404
    assert Client().post(url, data).status_code == 302
    client = client_for(manager(village))
    assert client.get(url).status_code == 405
    assert client.post(url, data | {"value": "-3"}).status_code == 400
    assert client.post(url, data | {"basis": ""}).status_code == 400
    assert not Valuation.objects.exists()
    assert client.post(url, data).status_code == 302
    assert Asset.objects.get(pk=asset.pk).current_value == Decimal("2000.00")
