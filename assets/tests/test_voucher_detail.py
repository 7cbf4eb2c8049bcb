"""A voucher's page: lines, totals, state, the review and the buttons its state allows."""

from django.urls import reverse

from assets.models import Collective, VoucherState
from assets.tests.ledger_testing import conclude_review, make_keeper, make_voucher
from supervision.tests.reviews_testing import make_review
from villagegov.models import Person, Role, Village
from villagegov.testing import client_for, make_person


def _url(voucher) -> str:
    return reverse("voucher_detail", args=[voucher.village.admin_code, voucher.pk])


def _buttons(text: str, voucher) -> set[str]:
    names = ("voucher_update", "voucher_submit", "voucher_post", "voucher_discard", "voucher_reverse")
    return {name for name in names if reverse(name, args=[voucher.village.admin_code, voucher.pk]) in text}


def test_the_buttons_follow_the_state(village: Village) -> None:
    client = client_for(make_keeper(village))
    draft = make_voucher(village, posted=False)
    assert _buttons(client.get(_url(draft)).text, draft) == {
        "voucher_update",
        "voucher_submit",
        "voucher_discard",
    }
    submitted = make_voucher(village, state=VoucherState.SUBMITTED)
    assert _buttons(client.get(_url(submitted)).text, submitted) == {"voucher_post", "voucher_discard"}
    posted = make_voucher(village)
    assert _buttons(client.get(_url(posted)).text, posted) == {"voucher_reverse"}
    Collective.objects.filter(village=village).update(vouchers_need_review=False)
    assert "voucher_post" in _buttons(client.get(_url(draft)).text, draft)


def test_lines_totals_and_the_review(village: Village) -> None:
    voucher = make_voucher(
        village, [("101", "1234.5", 0), ("50101", 0, "1234.5")], state=VoucherState.SUBMITTED
    )
    client = client_for(make_keeper(village))
    page = client.get(_url(voucher))
    assert page.text.count("¥1,234.50") >= 4
    assert "kind=voucher&amp;subject=assets.voucher:" in page.text
    review = make_review(village, "voucher", title="凭证审核甲", subject=voucher)
    page = client.get(_url(voucher))
    assert (
        "凭证审核甲" in page.text
        and reverse("review_detail", args=[village.admin_code, review.pk]) in page.text
    )


def test_a_reader_sees_no_buttons(village: Village) -> None:
    supervisor = make_person(village, roles=(Role.SUPERVISOR,), with_account=True)
    draft = make_voucher(village, posted=False)
    conclude_review(draft)
    page = client_for(supervisor).get(_url(draft))
    assert page.status_code == 200 and _buttons(page.text, draft) == set()


def test_permissions(village: Village, resident: Person, outsider: Person, other_village: Village) -> None:
    voucher = make_voucher(village)
    assert client_for(resident).get(_url(voucher)).status_code == 403
    assert client_for(outsider).get(_url(voucher)).status_code == 404
    foreign = reverse("voucher_detail", args=[other_village.admin_code, voucher.pk])
    assert client_for(outsider).get(foreign).status_code == 404
