"""Each signature or dissent on a review is sealed in the audit log: `verify_audit_log` names a
sign-off changed, removed or swapped afterwards with raw SQL, and one made behind the services'
back."""

from collections.abc import Callable

import pytest
from django.utils import timezone

from supervision.models import SignOff, SignOffDecision
from supervision.services.reviews import review_sign
from supervision.tests.reviews_testing import committee, make_review
from villagegov.models import Village
from villagegov.tests.tamper_testing import seal_what_builders_made, swap, tamper, verify, verify_fails

pytestmark = pytest.mark.usefixtures("english")

SIGN_OFF = SignOff._meta.db_table


def signed(village: Village) -> list[SignOff]:
    """Of a committee of three, one signs and one dissents: the review stays open."""
    people = committee(village, 3)
    review = make_review(village, by=people[0])
    seal_what_builders_made()
    assert people[0].user is not None and people[1].user is not None
    return [
        review_sign(actor=people[0].user, review=review, decision=SignOffDecision.SIGN),
        review_sign(actor=people[1].user, review=review, decision=SignOffDecision.DISSENT, reason="金额不符"),
    ]


def name(sign_off: SignOff) -> str:
    return f"supervision.signoff #{sign_off.pk}"


def test_sign_offs_pass_untouched(village: Village) -> None:
    signed(village)
    assert "every sealed row matches" in verify()


Tamper = Callable[[list[SignOff]], object]
CASES: list[tuple[str, Tamper]] = [
    (
        "dissent-turned-into-a-signature",
        lambda s: tamper(
            f"UPDATE {SIGN_OFF} SET decision = 'sign', reason = '' WHERE id = %s", [s[1].pk], SIGN_OFF
        ),
    ),
    (
        "reason-altered",
        lambda s: tamper(f"UPDATE {SIGN_OFF} SET reason = %s WHERE id = %s", ["同意", s[1].pk], SIGN_OFF),
    ),
    ("swapped", lambda s: swap(SIGN_OFF, "signed_at", s[1].pk, s[0].pk)),
]


@pytest.mark.parametrize("tampering", [t for _, t in CASES], ids=[i for i, _ in CASES])
def test_a_sign_off_changed_afterwards_is_named(village: Village, tampering: Tamper) -> None:
    sign_offs = signed(village)
    tampering(sign_offs)
    assert f"{name(sign_offs[1])} (row): row altered" in verify_fails()


def test_a_sign_off_removed_is_named(village: Village) -> None:
    sign_offs = signed(village)
    tamper(f"DELETE FROM {SIGN_OFF} WHERE id = %s", [sign_offs[1].pk], SIGN_OFF)
    assert f"{name(sign_offs[1])}: row removed" in verify_fails()


def test_a_sign_off_made_behind_the_services_back_is_not_in_the_audit_log(village: Village) -> None:
    sign_offs = signed(village)
    people = committee(village, 1, resolution=None)
    seal_what_builders_made()
    forged = SignOff.objects.create(
        review=sign_offs[0].review, member=people[0], decision=SignOffDecision.SIGN, signed_at=timezone.now()
    )
    assert f"{name(forged)}: row not in the audit log" in verify_fails()
