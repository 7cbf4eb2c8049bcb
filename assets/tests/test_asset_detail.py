"""An asset's page: its fields, valuations, documents and contracts."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from assets.tests.register_testing import make_asset, make_contract, manager
from villagegov.models import Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


def test_the_page_shows_the_kind_fields_and_contracts(village: Village) -> None:
    asset = make_asset(village, name="东塘鱼塘", land_use="water")
    make_contract(asset, number="HT-77", counterparty="张承租", ends_on=date(2099, 1, 1))
    text = (
        client_for(manager(village))
        .get(reverse("asset_detail", args=[village.admin_code, asset.pk]))
        .content.decode()
    )
    assert "东塘鱼塘" in text and "water surface" in text and "HT-77" in text and "running" in text


def test_permissions(
    village: Village, other_village: Village, resident_client: Client, outsider_client: Client
) -> None:
    url = reverse("asset_detail", args=[village.admin_code, make_asset(village).pk])
    assert resident_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 404
    assert Client().get(url).status_code == 302
    elsewhere = reverse("asset_detail", args=[village.admin_code, make_asset(other_village).pk])
    assert client_for(manager(village)).get(elsewhere).status_code == 404
