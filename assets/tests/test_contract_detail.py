"""A contract's page and the contract list: schedule with states, figures, filters, bounded queries."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from assets.tests.register_testing import make_asset, make_contract, make_receipt, manager
from villagegov.models import Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


def test_the_page_shows_the_schedule_and_the_arrears(village: Village) -> None:
    contract = make_contract(
        make_asset(village, name="东塘鱼塘"),
        dues=[(date(2024, 1, 1), "1000.00"), (date(2099, 1, 1), "1000.00")],
        ends_on=date(2099, 12, 31),
    )
    make_receipt(contract, "400.50", date(2024, 1, 2))
    page = client_for(manager(village)).get(
        reverse("contract_detail", args=[village.admin_code, contract.pk])
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "东塘鱼塘" in text and "¥599.50" in text and "overdue" in text and "upcoming" in text


def test_the_page_is_for_those_who_see_finances(
    village: Village, resident_client: Client, outsider_client: Client, other_village: Village
) -> None:
    contract = make_contract(make_asset(village))
    url = reverse("contract_detail", args=[village.admin_code, contract.pk])
    assert resident_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 404
    assert Client().get(url).status_code == 302
    elsewhere = make_contract(make_asset(other_village))
    assert (
        client_for(manager(village))
        .get(reverse("contract_detail", args=[village.admin_code, elsewhere.pk]))
        .status_code
        == 404
    )


def test_the_list_filters_and_its_queries_do_not_grow(
    village: Village, django_assert_max_num_queries
) -> None:
    late = make_contract(
        make_asset(village), number="HT-LATE", dues=[(date(2024, 1, 1), "1000.00")], ends_on=date(2099, 1, 1)
    )
    make_contract(
        make_asset(village),
        number="HT-OVER",
        dues=[(date(2020, 1, 1), "10.00")],
        starts_on=date(2020, 1, 1),
        ends_on=date(2021, 1, 1),
    )
    make_receipt(late, "1.00", date(2024, 1, 2))
    client = client_for(manager(village))
    url = reverse("contract_list", args=[village.admin_code])
    text = client.get(url, {"state": "arrears"}).content.decode()
    assert "HT-LATE" in text and "¥999.00" in text
    assert "HT-LATE" not in client.get(url, {"state": "ended"}).content.decode()
    assert "HT-OVER" in client.get(url, {"state": "ended"}).content.decode()
    assert client.get(url, {"state": "nonsense"}).status_code == 200
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(15):
        make_contract(make_asset(village))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
