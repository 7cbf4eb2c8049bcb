"""The committee opens its review of a voucher or a plan from that object's page: the review form
comes filled with what the subject says of itself."""

from decimal import Decimal
from typing import Any

from django.urls import reverse

from assets.tests.distributions_testing import accountant, make_plan, user_of
from assets.tests.ledger_testing import make_voucher
from supervision.tests.reviews_testing import committee
from villagegov.models import Village
from villagegov.testing import client_for


def _form(village: Village, kind: str, subject: str) -> str:
    client = client_for(committee(village, 3)[0])
    response = client.get(
        reverse("review_create", args=[village.admin_code]), {"kind": kind, "subject": subject}
    )
    assert response.status_code == 200
    return response.content.decode()


def test_a_voucher_review_is_filled_from_the_voucher(village: Village, english: Any) -> None:
    voucher = make_voucher(
        village, (("513", "1234.50", 0), ("102", 0, "1234.50")), posted=False, summary="支付办公费"
    )
    html = _form(village, "voucher", f"assets.voucher:{voucher.pk}")
    assert "Review of the voucher: 支付办公费" in html
    assert 'value="1234.50"' in html and f'value="#{voucher.pk}"' in html


def test_a_plan_review_is_filled_from_the_plan(village: Village, english: Any) -> None:
    plan = make_plan(village, user_of(accountant(village)), income="3000.00", shares=(1, 2))
    html = _form(village, "distribution", f"assets.distributionplan:{plan.pk}")
    assert f"Review of the distribution plan: {plan.title}" in html
    assert f'value="{plan.year}"' in html and f'value="{plan.distributable}"' in html
    assert plan.distributable > Decimal(0)


def test_another_kind_is_not_filled(village: Village, english: Any) -> None:
    voucher = make_voucher(village, posted=False)
    html = _form(village, "distribution", f"assets.voucher:{voucher.pk}")
    assert "Review of the voucher" not in html


def test_the_review_links_back_to_its_voucher(village: Village, english: Any) -> None:
    voucher = make_voucher(village, posted=False, summary="支付办公费")
    member = committee(village, 3)[0]
    client = client_for(member)
    url = (
        reverse("review_create", args=[village.admin_code])
        + f"?kind=voucher&subject=assets.voucher:{voucher.pk}"
    )
    response = client.post(
        url, {"title": "审核凭证", "voucher_number": "#1", "subject": f"assets.voucher:{voucher.pk}"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f'href="{reverse("voucher_detail", args=[village.admin_code, voucher.pk])}"' in page
