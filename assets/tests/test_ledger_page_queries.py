"""The ledger's pages read a bounded number of queries however many vouchers the village has
(issue 6: a ledger of 10,000 vouchers; bench/pages.py times them)."""

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from assets.models import Account
from assets.tests.ledger_testing import make_voucher
from villagegov.models import Person, Village
from villagegov.testing import client_for

CEILING = 16


def _books(village: Village, size: int) -> None:
    for index in range(size):
        day = date(2025, 1 + index % 12, 1 + index % 28)
        make_voucher(village, (("102", 100 + index, 0), ("501", 0, 100 + index)), day=day)
        make_voucher(village, (("513", 30, 0), ("102", 0, 30)), day=day)


@pytest.mark.parametrize("size", [2, 30])
def test_ledger_pages_do_not_grow_with_the_books(
    village: Village, official: Person, size: int, django_assert_max_num_queries: Any
) -> None:
    _books(village, size)
    bank = Account.objects.get(village=village, code="102")
    code = village.admin_code
    client = client_for(official)
    pages = [
        reverse("account_detail", args=[code, bank.pk]),
        reverse("account_detail", args=[code, bank.pk]) + "?page=99999",  # the last page carries a balance
        reverse("trial_balance", args=[code]) + "?start=2025-01-01&end=2025-12-31",
        reverse("income_statement", args=[code]) + "?year=2025",
        reverse("account_list", args=[code]),
    ]
    for url in pages:
        with django_assert_max_num_queries(CEILING):
            assert client.get(url).status_code == 200, url
