"""Discarding a voucher never posted; the audit log keeps what it was."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assets.models import Voucher, VoucherLine, VoucherState
from assets.services.ledger import voucher_discard
from assets.tests.ledger_testing import keeper_user, make_keeper, make_voucher
from supervision.models import Review, ReviewState
from supervision.tests.reviews_testing import make_review
from villagegov.models import AuditRecord, Person, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize("state", [VoucherState.DRAFT, VoucherState.SUBMITTED])
def test_a_voucher_never_posted_is_discarded_and_audited(village: Village, state: str) -> None:
    voucher = make_voucher(village, state=state)
    voucher_discard(actor=keeper_user(village), voucher=voucher)
    assert not Voucher.objects.filter(pk=voucher.pk).exists()
    assert not VoucherLine.objects.filter(voucher_id=voucher.pk).exists()
    record = AuditRecord.objects.get(action="voucher.discard", target_id=str(voucher.pk))
    assert record.before is not None and len(record.before["lines"]) == 2


def test_a_posted_voucher_is_never_discarded(village: Village) -> None:
    voucher = make_voucher(village)
    with pytest.raises(ValidationError, match="never deleted"):
        voucher_discard(actor=keeper_user(village), voucher=voucher)
    assert Voucher.objects.filter(pk=voucher.pk).exists()


@pytest.mark.parametrize("state", [VoucherState.DRAFT, VoucherState.SUBMITTED])
def test_a_voucher_under_review_is_not_discarded(village: Village, state: str) -> None:
    voucher = make_voucher(village, state=state)
    review = make_review(village, "voucher", state=ReviewState.OPEN, subject=voucher)
    with pytest.raises(ValidationError, match=r"is reviewing this voucher.*Ask the committee"):
        voucher_discard(actor=keeper_user(village), voucher=voucher)
    assert Voucher.objects.filter(pk=voucher.pk).exists()
    client = client_for(make_keeper(village))
    detail = client.get(reverse("voucher_detail", args=[village.admin_code, voucher.pk]))
    assert _url(voucher) not in detail.text
    refused = client.post(_url(voucher))
    assert refused.status_code == 400 and "is reviewing this voucher" in refused.text
    # Once the committee concluded, the voucher may be discarded (and recorded anew).
    Review.objects.filter(pk=review.pk).update(state=ReviewState.CONCLUDED, concluded_at=timezone.now())
    assert client.post(_url(voucher)).status_code == 302
    assert not Voucher.objects.filter(pk=voucher.pk).exists()


def _url(voucher: Voucher) -> str:
    return reverse("voucher_discard", args=[voucher.village.admin_code, voucher.pk])


def test_the_button(village: Village) -> None:
    draft, posted = make_voucher(village, posted=False), make_voucher(village)
    client = client_for(make_keeper(village))
    assert client.get(_url(draft)).status_code == 405
    assert client.post(_url(posted)).status_code == 400
    response = client.post(_url(draft))
    assert response.status_code == 302 and response["Location"] == reverse(
        "voucher_list", args=[village.admin_code]
    )
    assert list(Voucher.objects.all()) == [posted]


def test_permissions(village: Village, resident: Person, outsider: Person) -> None:
    draft = make_voucher(village, posted=False)
    assert client_for(resident).post(_url(draft)).status_code == 403
    assert client_for(outsider).post(_url(draft)).status_code == 404
    assert Voucher.objects.filter(pk=draft.pk).exists()
