"""A posted voucher cannot be changed or deleted through the Django admin either: the admin is
read-only for the books, even for a superuser."""

import pytest
from django.test import Client
from django.urls import reverse

from assets.models import Voucher, VoucherLine
from assets.tests.ledger_testing import make_voucher
from villagegov.models import User, Village


@pytest.fixture
def superuser_client(db: None) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser(username="root", password="root-pass-123"))
    return client


def test_the_superuser_can_read_but_not_change_or_delete_a_posted_voucher(
    village: Village, superuser_client: Client
) -> None:
    voucher = make_voucher(village, (("102", "500.00", 0), ("501", 0, "500.00")))
    line = voucher.lines.first()
    assert line is not None
    change = reverse("admin:assets_voucher_change", args=[voucher.pk])
    assert superuser_client.get(change).status_code == 200
    response = superuser_client.post(
        change, {"summary": "改过的摘要", "debit_total": "1", "credit_total": "1"}
    )
    assert response.status_code == 403
    for name, obj in (("voucher", voucher), ("voucherline", line)):
        delete = reverse(f"admin:assets_{name}_delete", args=[obj.pk])
        assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    assert superuser_client.get(reverse("admin:assets_voucher_add")).status_code == 403
    voucher.refresh_from_db()
    assert voucher.summary == "收到租金" and voucher.debit_total == 500
    assert (
        Voucher.objects.filter(pk=voucher.pk).exists()
        and VoucherLine.objects.filter(voucher=voucher).count() == 2
    )
