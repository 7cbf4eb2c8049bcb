"""The register's list: filters, totals by category with land area, charts, bounded queries."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from assets.models import Asset
from assets.selectors.register import AssetFilters, register_totals, village_assets
from assets.tests.register_testing import make_asset, manager
from villagegov.models import Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


def test_totals_by_category_and_kind(village: Village, other_village: Village) -> None:
    make_asset(village, "land", acquisition_value="100.00", current_value="150.50", area_mu=Decimal("10.25"))
    make_asset(village, "land", acquisition_value="50.00", area_mu=Decimal("2"))
    make_asset(village, "building", acquisition_value="1000.00", category="non_operating")
    make_asset(other_village, "land", acquisition_value="9999.00")
    totals = register_totals(village_assets(village))
    resource = next(line for line in totals.by_category if line.key == "resource")
    assert (resource.count, resource.original, resource.current, resource.area_mu) == (
        2,
        Decimal("150.00"),
        Decimal("200.50"),
        Decimal("12.25"),
    )
    assert totals.total.count == 3 and totals.total.current == Decimal("1200.50")
    land = next(line for line in totals.by_kind if line.key == "land")
    assert land.count == 2
    only_buildings = register_totals(village_assets(village, AssetFilters(kind="building")))
    assert only_buildings.total.count == 1 and only_buildings.total.area_mu == 0


def test_the_page_filters_and_its_queries_do_not_grow(
    village: Village, django_assert_max_num_queries
) -> None:
    make_asset(village, "land", code="TD-1", name="东坑鱼塘")
    make_asset(village, "building", code="FW-1", name="村礼堂")
    client = client_for(manager(village))
    url = reverse("asset_list", args=[village.admin_code])
    text = client.get(url, {"kind": "land"}).content.decode()
    assert "东坑鱼塘" in text and "村礼堂" not in text
    assert "村礼堂" in client.get(url, {"q": "FW"}).content.decode()
    assert "东坑鱼塘" not in client.get(url, {"q": "FW"}).content.decode()
    assert client.get(url, {"kind": "<x>", "status": "??"}).status_code == 200
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for kind in ("land", "building", "equipment", "investment", "fund") * 5:
        make_asset(village, kind)
    with django_assert_max_num_queries(len(few.captured_queries) + 3):  # one more per kind on the page
        client.get(url)


def test_permissions(village: Village, resident_client: Client, outsider_client: Client) -> None:
    url = reverse("asset_list", args=[village.admin_code])
    assert resident_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_export_csv_and_xlsx_with_totals(village: Village, resident_client: Client) -> None:
    make_asset(
        village, "land", code="TD-1", name="东坑鱼塘", acquisition_value="100.50", area_mu=Decimal("3")
    )
    make_asset(village, "fund", code="ZJ-1", name="修路资金")
    client = client_for(manager(village))
    url = reverse("asset_export", args=[village.admin_code])
    response = client.get(url, {"format": "csv", "kind": "land"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "东坑鱼塘" in text and "修路资金" not in text and "100.50" in text
    assert village.admin_code in response["Content-Disposition"]
    assert client.get(url, {"format": "xlsx"}).status_code == 200
    assert client.get(url, {"format": "pdf"}).status_code == 400
    assert resident_client.get(url, {"format": "csv"}).status_code == 403
    assert Asset.objects.count() == 2
