"""Entering an asset of each kind in the register."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assets.models import Asset, AssetCategory, Building, LandParcel
from assets.services.register import asset_create
from assets.tests.register_testing import make_asset, manager, user_of
from villagegov.models import AuditRecord, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")

KIND_VALUES: dict[str, dict[str, Any]] = {
    "land": {"area_mu": "12.5", "land_use": "arable"},
    "building": {"floor_area_m2": "300"},
    "equipment": {"model_name": "拖拉机", "quantity": 2},
    "investment": {"investee": "物业公司", "stake_percent": "30"},
    "fund": {"bank": "农商银行", "purpose": "修路"},
}


@pytest.mark.parametrize("kind", list(KIND_VALUES))
def test_each_kind_with_its_default_category_and_value(village: Village, kind: str) -> None:
    asset = asset_create(
        actor=user_of(manager(village)),
        village=village,
        kind=kind,
        values={
            "code": " ZC-1 ",
            "name": "资产",
            "acquisition_value": Decimal("1234.50"),
            **KIND_VALUES[kind],
        },
    )
    assert asset.code == "ZC-1" and asset.current_value == Decimal("1234.50")
    assert asset.category == (AssetCategory.RESOURCE if kind == "land" else AssetCategory.OPERATING)
    assert AuditRecord.objects.filter(action="asset.create").count() == 1


def test_a_chosen_category_is_kept(village: Village) -> None:
    asset = asset_create(
        actor=user_of(manager(village)),
        village=village,
        kind="building",
        values={"code": "FW-1", "name": "村小学", "category": "non_operating", "floor_area_m2": "800"},
    )
    assert isinstance(asset, Building) and asset.category == "non_operating"


def test_refusals(village: Village, resident) -> None:
    actor = user_of(manager(village))
    make_asset(village, code="TD-1")
    base: dict[str, Any] = {"code": "TD-2", "name": "地", "area_mu": "1", "land_use": "arable"}
    cases: list[tuple[str, dict[str, Any], str]] = [
        ("land", {"code": "TD-1"}, "already used"),
        ("land", {"acquisition_value": "-1"}, "cannot be negative"),
        ("land", {"acquisition_value": "1.005"}, "two decimal places"),
        ("land", {"area_mu": "0"}, "more than zero"),
        ("land", {"land_use": "moon"}, "used for"),
        ("land", {"category": "x"}, "category"),
        ("land", {"status": "leased"}, "status"),
        ("land", {"acquired_on": timezone.localdate() + timedelta(days=1)}, "after today"),
        ("land", {"name": " "}, "Name the asset"),
        ("ship", {}, "kind of asset"),
        ("investment", {"investee": ""}, "invested in"),
        ("investment", {"investee": "x", "stake_percent": "101"}, "at most 100"),
    ]
    for kind, change, message in cases:
        with pytest.raises(ValidationError, match=message):
            asset_create(actor=actor, village=village, kind=kind, values=base | change)
    with pytest.raises(ValidationError, match="keep the"):
        asset_create(actor=user_of(resident), village=village, kind="land", values=base)
    assert Asset.objects.count() == 1


def _url(village: Village, kind: str = "") -> str:
    return reverse("asset_create", args=[village.admin_code]) + (f"?kind={kind}" if kind else "")


def test_page_kind_menu_form_and_redirect(village: Village) -> None:
    client = client_for(manager(village))
    menu = client.get(_url(village)).content.decode()
    assert "?kind=land" in menu and "?kind=fund" in menu
    assert client.get(_url(village, "land")).status_code == 200
    data = {
        "code": "TD-9",
        "name": "东坑地",
        "category": "resource",
        "status": "in_use",
        "acquisition_value": "100.00",
        "area_mu": "3.5",
        "land_use": "arable",
    }
    response = client.post(_url(village, "land"), data)
    asset = LandParcel.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("asset_detail", args=[village.admin_code, asset.pk])
    assert asset.area_mu == Decimal("3.50")
    for bad in ({"code": "TD-9"}, {"acquisition_value": "-1"}, {"area_mu": "abc"}, {"land_use": ""}):
        assert client.post(_url(village, "land"), data | bad).status_code == 400
    assert client.post(_url(village), data).status_code == 400
    assert LandParcel.objects.count() == 1


def test_page_permissions(village: Village, resident_client: Client, outsider_client: Client) -> None:
    data = {
        "code": "TD-9",
        "name": "地",
        "category": "resource",
        "status": "in_use",
        "acquisition_value": "1",
        "area_mu": "1",
        "land_use": "arable",
    }
    assert resident_client.post(_url(village, "land"), data).status_code == 403
    assert outsider_client.post(_url(village, "land"), data).status_code == 404
    assert Client().post(_url(village, "land"), data).status_code == 302
    assert not Asset.objects.exists()
