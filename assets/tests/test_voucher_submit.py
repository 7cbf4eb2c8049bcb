"""Sending a draft voucher for the supervision committee's review."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assets.models import Voucher, VoucherState
from assets.services.ledger import voucher_submit
from assets.tests.ledger_testing import keeper_user, make_keeper, make_voucher
from supervision.tests.reviews_testing import committee
from villagegov.models import Notification, Person, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


def test_submitting_tells_the_committee_with_a_link_to_open_the_review(village: Village) -> None:
    members = committee(village, 3)
    voucher = make_voucher(village, posted=False)
    voucher_submit(actor=keeper_user(village), voucher=voucher)
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.SUBMITTED and voucher.submitted_at is not None
    notes = Notification.objects.filter(village=village)
    assert {note.person_id for note in notes} == {member.pk for member in members}
    link = urlsplit(notes.first().link)  # type: ignore[union-attr]
    assert link.path == reverse("review_create", args=[village.admin_code])
    assert parse_qs(link.query) == {"kind": ["voucher"], "subject": [f"assets.voucher:{voucher.pk}"]}
    # The link opens the review form about this voucher for a committee member.
    page = client_for(members[0]).get(notes.first().link)  # type: ignore[union-attr]
    assert page.status_code == 200 and voucher.summary in page.text


def test_only_a_draft_is_submitted(village: Village) -> None:
    voucher = make_voucher(village, state=VoucherState.SUBMITTED)
    with pytest.raises(ValidationError, match="Only a draft"):
        voucher_submit(actor=keeper_user(village), voucher=voucher)


def _url(voucher: Voucher) -> str:
    return reverse("voucher_submit", args=[voucher.village.admin_code, voucher.pk])


def test_the_button(village: Village) -> None:
    voucher = make_voucher(village, posted=False)
    client = client_for(make_keeper(village))
    assert client.get(_url(voucher)).status_code == 405
    response = client.post(_url(voucher))
    assert response.status_code == 302
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.SUBMITTED
    again = client.post(_url(voucher))
    assert again.status_code == 400 and "Only a draft" in again.text


def test_permissions(village: Village, resident: Person, outsider: Person, other_village: Village) -> None:
    voucher = make_voucher(village, posted=False)
    assert client_for(resident).post(_url(voucher)).status_code == 403
    assert client_for(outsider).post(_url(voucher)).status_code == 404
    foreign = reverse("voucher_submit", args=[other_village.admin_code, voucher.pk])
    assert client_for(outsider).post(foreign).status_code == 404
    assert client_for(make_keeper(other_village)).post(foreign).status_code == 404
    voucher.refresh_from_db()
    assert voucher.state == VoucherState.DRAFT
