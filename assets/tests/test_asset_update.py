"""Editing an asset: name, status, location, note and its kind's fields; never its values."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from assets.models import AssetStatus, LandParcel
from assets.services.register import asset_update
from assets.tests.register_testing import make_asset, make_contract, manager, user_of
from villagegov.models import Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


def test_updates_the_kind_fields_not_the_values(village: Village) -> None:
    asset = make_asset(village, acquisition_value="100.00")
    asset_update(
        actor=user_of(manager(village)),
        asset=asset,
        values={"name": "新名", "status": "idle", "area_mu": "20", "current_value": "5"},
    )
    land = LandParcel.objects.get(pk=asset.pk)
    assert (land.name, land.status, land.area_mu, land.current_value) == (
        "新名",
        "idle",
        Decimal("20.00"),
        Decimal("100.00"),
    )


def test_a_leased_asset_stays_leased_and_leased_is_not_set_by_hand(village: Village) -> None:
    actor = user_of(manager(village))
    leased = make_asset(village)
    make_contract(leased, ends_on=__import__("datetime").date(2099, 1, 1))
    with pytest.raises(ValidationError, match="stays leased"):
        asset_update(actor=actor, asset=leased, values={"name": "x", "status": "disposed"})
    with pytest.raises(ValidationError, match="record the contract"):
        asset_update(
            actor=actor, asset=make_asset(village), values={"name": "x", "status": AssetStatus.LEASED}
        )


def test_page(village: Village, resident_client: Client, outsider_client: Client) -> None:
    asset = make_asset(village, name="旧名")
    url = reverse("asset_update", args=[village.admin_code, asset.pk])
    data = {
        "name": "新名",
        "status": "in_use",
        "location": "",
        "note": "",
        "area_mu": "5",
        "land_use": "arable",
    }
    assert resident_client.post(url, data).status_code == 403
    assert outsider_client.post(url, data).status_code == 404
    client = client_for(manager(village))
    assert client.get(url).status_code == 200
    assert client.post(url, data | {"area_mu": "-1"}).status_code == 400
    assert LandParcel.objects.get().name == "旧名"
    assert client.post(url, data).status_code == 302
    assert LandParcel.objects.get().name == "新名"
