"""Reversing a posted voucher (冲销): a draft with the same lines on swapped sides, reviewed and
posted like any other; posted, the books are as before the original."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.models import Voucher, VoucherKind, VoucherState
from assets.services.ledger import voucher_post, voucher_reverse, voucher_submit
from assets.tests.ledger_testing import balances, conclude_review, keeper_user, make_keeper, make_voucher
from villagegov.models import Person, Village
from villagegov.testing import client_for, make_village

pytestmark = pytest.mark.usefixtures("english")


def test_the_reversal_swaps_the_sides_and_names_the_original(village: Village) -> None:
    original = make_voucher(village, [("101", "80.25", 0), ("50101", 0, "50"), ("50102", 0, "30.25")])
    reversal = voucher_reverse(actor=keeper_user(village), voucher=original, date=date(2024, 4, 1))
    assert reversal.kind == VoucherKind.REVERSAL and reversal.reverses == original
    assert reversal.state == VoucherState.DRAFT and reversal.date == date(2024, 4, 1)
    assert f"{original.number}" in reversal.summary and original.summary in reversal.summary
    assert [(x.account.code, x.debit, x.credit) for x in reversal.lines.order_by("position")] == [
        ("101", Decimal("0.00"), Decimal("80.25")),
        ("50101", Decimal("50.00"), Decimal("0.00")),
        ("50102", Decimal("30.25"), Decimal("0.00")),
    ]


def test_a_voucher_is_reversed_once_and_only_when_posted(village: Village) -> None:
    actor = keeper_user(village)
    with pytest.raises(ValidationError, match="Only a posted"):
        voucher_reverse(actor=actor, voucher=make_voucher(village, posted=False))
    original = make_voucher(village)
    reversal = voucher_reverse(actor=actor, voucher=original)
    assert reversal.date == timezone.localdate()
    with pytest.raises(ValidationError, match="already reversed"):
        voucher_reverse(actor=actor, voucher=original)
    with pytest.raises(ValidationError, match="before the voucher"):
        voucher_reverse(actor=actor, voucher=make_voucher(village), date=date(2024, 1, 1))


def test_a_reversal_is_not_dated_after_today(village: Village) -> None:
    original = make_voucher(village)
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="after today"):
        voucher_reverse(actor=keeper_user(village), voucher=original, date=tomorrow)
    assert not Voucher.objects.filter(reverses=original).exists()
    client = client_for(make_keeper(village))
    url = reverse("voucher_reverse", args=[village.admin_code, original.pk])
    response = client.post(url, {"date": tomorrow.isoformat()})
    assert response.status_code == 400 and "after today" in response.text
    assert not Voucher.objects.filter(reverses=original).exists()


def test_a_reversal_is_not_reversed(village: Village) -> None:
    original = make_voucher(village)
    reversal = make_voucher(
        village, [("101", 0, 100), ("501", 100, 0)], kind=VoucherKind.REVERSAL, reverses=original
    )
    with pytest.raises(ValidationError, match="not reversed again"):
        voucher_reverse(actor=keeper_user(village), voucher=reversal)


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), places=2)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    before=st.lists(
        st.tuples(st.sampled_from(["101", "102", "112"]), st.sampled_from(["501", "211", "503"]), amounts),
        max_size=3,
    ),
    entry=st.lists(
        st.tuples(st.sampled_from(["101", "511", "151"]), st.sampled_from(["502", "211", "102"]), amounts),
        min_size=1,
        max_size=4,
    ),
)
def test_posting_a_voucher_and_its_reversal_leaves_every_balance_as_before(before: list, entry: list) -> None:
    village = make_village()
    for debit, credit, amount in before:
        make_voucher(village, [(debit, amount, 0), (credit, 0, amount)])
    start = balances(village)
    lines = [(debit, amount, 0) for debit, _c, amount in entry] + [
        (credit, 0, amount) for _d, credit, amount in entry
    ]
    original = make_voucher(village, lines)
    assert balances(village) != start
    actor = keeper_user(village)
    reversal = voucher_reverse(actor=actor, voucher=original)
    voucher_submit(actor=actor, voucher=reversal)
    conclude_review(reversal)
    voucher_post(actor=actor, voucher=reversal)
    assert balances(village) == start


def _url(voucher: Voucher) -> str:
    return reverse("voucher_reverse", args=[voucher.village.admin_code, voucher.pk])


def test_the_form(village: Village) -> None:
    original = make_voucher(village)
    client = client_for(make_keeper(village))
    assert client.get(_url(original)).status_code == 405
    detail = client.get(reverse("voucher_detail", args=[village.admin_code, original.pk]))
    assert _url(original) in detail.text
    response = client.post(_url(original), {"date": "2024-05-01"})
    reversal = Voucher.objects.get(reverses=original)
    assert response.status_code == 302 and response["Location"].endswith(f"/{reversal.pk}/")
    # The links both ways.
    assert (
        reverse("voucher_detail", args=[village.admin_code, original.pk])
        in client.get(response["Location"]).text
    )
    detail = client.get(reverse("voucher_detail", args=[village.admin_code, original.pk]))
    assert reverse("voucher_detail", args=[village.admin_code, reversal.pk]) in detail.text
    assert _url(original) not in detail.text
    refused = client.post(_url(original), {"date": (timezone.localdate() + timedelta(days=0)).isoformat()})
    assert refused.status_code == 400 and "already reversed" in refused.text


def test_permissions(village: Village, resident: Person, outsider: Person) -> None:
    original = make_voucher(village)
    assert client_for(resident).post(_url(original)).status_code == 403
    assert client_for(outsider).post(_url(original)).status_code == 404
    assert not Voucher.objects.filter(reverses=original).exists()
