"""Every ledger page renders for whoever sees the finances, with the village's figures."""

from datetime import date

from django.urls import reverse

from assets.tests.ledger_testing import make_keeper, make_voucher
from villagegov.models import Person, Role, Village
from villagegov.testing import client_for, make_person

PAGES = [
    "voucher_list",
    "voucher_create",
    "account_list",
    "trial_balance",
    "income_statement",
    "opening_balance_import",
    "finance_disclose",
]


def test_every_page_renders(village: Village) -> None:
    voucher = make_voucher(village, [("101", "123.45", 0), ("50101", 0, "123.45")], day=date(2024, 2, 3))
    client = client_for(make_keeper(village))
    for name in PAGES:
        response = client.get(reverse(name, args=[village.admin_code]))
        assert response.status_code == 200, name
    account = voucher.lines.get(position=2).account
    for name, pk in (
        ("voucher_detail", voucher.pk),
        ("account_detail", account.pk),
        ("voucher_update", make_voucher(village, posted=False).pk),
    ):
        assert client.get(reverse(name, args=[village.admin_code, pk])).status_code == 200, name


def test_a_supervisor_reads_the_books_but_keeps_none(village: Village) -> None:
    supervisor = make_person(village, roles=(Role.SUPERVISOR,), with_account=True)
    client = client_for(supervisor)
    assert client.get(reverse("voucher_list", args=[village.admin_code])).status_code == 200
    assert client.get(reverse("voucher_create", args=[village.admin_code])).status_code == 403


def test_residents_and_outsiders_see_nothing(village: Village, resident: Person, outsider: Person) -> None:
    for name in ("voucher_list", "account_list", "trial_balance", "income_statement", "ledger_export"):
        url = reverse(name, args=[village.admin_code])
        assert client_for(resident).get(url).status_code == 403
        assert client_for(outsider).get(url).status_code == 404
