"""On PostgreSQL any plain UPDATE or DELETE (the app's too) is refused: to change or delete a
signature or dissent on a review."""

from collections.abc import Callable

import pytest
from django.db import IntegrityError, connection, transaction

from supervision.models import SignOff, SignOffDecision
from supervision.services.reviews import review_sign
from supervision.tests.reviews_testing import committee, make_review
from villagegov.models import Village

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the sign-offs' guard trigger is PostgreSQL's (SQLite has none)"
)


def refused(action: Callable[[], object]) -> None:
    """The trigger refuses (its message says so), not some other check."""
    with pytest.raises(IntegrityError, match="refused"), transaction.atomic():
        action()


def test_a_sign_off_is_never_changed_or_deleted(village: Village) -> None:
    people = committee(village, 3)
    review = make_review(village, by=people[0])
    assert people[0].user is not None
    review_sign(actor=people[0].user, review=review, decision=SignOffDecision.DISSENT, reason="金额不符")
    sign_offs = SignOff.objects.filter(review=review)
    refused(lambda: sign_offs.update(decision=SignOffDecision.SIGN, reason=""))
    refused(lambda: sign_offs.delete())
    assert list(sign_offs.values_list("decision", flat=True)) == [SignOffDecision.DISSENT]
