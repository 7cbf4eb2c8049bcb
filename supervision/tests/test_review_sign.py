"""Signing off a review: each member of the committee in office signs once or dissents with a
reason; the review is concluded when signatures (not dissents) are a strict majority of the
members in office that day (3 → 2, 4 → 3, 5 → 3); a concluded review is not signed any more; the
committee is told. The page: POST ok, invalid → 400, wrong role → 403, other village → 404."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from supervision.models import Review, ReviewState, SignOff
from supervision.selectors.committee import signatures_needed
from supervision.services.reviews import review_sign
from supervision.tests.reviews_testing import committee, make_review
from villagegov.models import AuditRecord, Notification, Person, User, Village
from villagegov.testing import client_for, make_person

pytestmark = pytest.mark.usefixtures("english")


def user_of(person: Person) -> User:
    assert person.user is not None
    return person.user


def state_of(review: Review) -> str:
    return Review.objects.get(pk=review.pk).state


@pytest.mark.parametrize(("members", "needed"), [(1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (6, 4), (7, 4)])
def test_signatures_needed_are_a_strict_majority(members: int, needed: int) -> None:
    assert signatures_needed(members) == needed


@given(members=st.integers(min_value=1, max_value=50))
def test_the_signatures_needed_are_more_than_half_and_one_fewer_is_not(members: int) -> None:
    needed = signatures_needed(members)
    assert 2 * needed > members >= 2 * (needed - 1)


@pytest.mark.django_db
@pytest.mark.parametrize(("members", "needed"), [(3, 2), (4, 3), (5, 3)])
def test_the_review_is_concluded_at_the_majority(village: Village, members: int, needed: int) -> None:
    people = committee(village, members)
    review = make_review(village, by=people[0])
    for person in people[: needed - 1]:
        review_sign(actor=user_of(person), review=review, decision="sign")
        assert state_of(review) == ReviewState.OPEN
    review_sign(actor=user_of(people[needed - 1]), review=review, decision="sign")
    stored = Review.objects.get(pk=review.pk)
    assert stored.state == ReviewState.CONCLUDED and stored.concluded_at is not None
    assert AuditRecord.objects.filter(action="review.conclude").count() == 1
    assert Notification.objects.filter(person__in=people).count() == members


@pytest.mark.django_db
def test_dissents_do_not_count_towards_the_majority(village: Village) -> None:
    people = committee(village, 3)
    review = make_review(village, by=people[0])
    review_sign(actor=user_of(people[0]), review=review, decision="sign")
    sign_off = review_sign(actor=user_of(people[1]), review=review, decision="dissent", reason="金额不符")
    assert sign_off.reason == "金额不符"
    assert state_of(review) == ReviewState.OPEN
    review_sign(actor=user_of(people[2]), review=review, decision="sign")
    assert state_of(review) == ReviewState.CONCLUDED


@pytest.mark.django_db
def test_signatures_of_former_members_do_not_count(village: Village) -> None:
    people = committee(village, 3)
    review = make_review(village, by=people[0])
    review_sign(actor=user_of(people[0]), review=review, decision="sign")
    people[0].council_seats.update(ends_on=timezone.localdate() - timedelta(days=1))
    # Two members in office now: the one signature left would need a second of theirs.
    review_sign(actor=user_of(people[1]), review=review, decision="sign")
    assert state_of(review) == ReviewState.OPEN
    review_sign(actor=user_of(people[2]), review=review, decision="sign")
    assert state_of(review) == ReviewState.CONCLUDED


@pytest.mark.django_db
def test_a_member_signs_once(village: Village) -> None:
    people = committee(village, 5)
    review = make_review(village, by=people[0])
    review_sign(actor=user_of(people[0]), review=review, decision="sign")
    for decision in ("sign", "dissent"):
        with pytest.raises(ValidationError, match="already recorded your decision"):
            review_sign(actor=user_of(people[0]), review=review, decision=decision, reason="改主意")
    assert SignOff.objects.count() == 1


@pytest.mark.django_db
def test_a_dissent_needs_a_reason(village: Village) -> None:
    people = committee(village, 3)
    review = make_review(village, by=people[0])
    with pytest.raises(ValidationError, match="reason for your dissent"):
        review_sign(actor=user_of(people[0]), review=review, decision="dissent", reason="   ")
    assert not SignOff.objects.exists()


@pytest.mark.django_db
def test_a_concluded_review_is_not_signed(village: Village) -> None:
    people = committee(village, 3)
    review = make_review(village, by=people[0], state=ReviewState.CONCLUDED)
    with pytest.raises(ValidationError, match="concluded"):
        review_sign(actor=user_of(people[0]), review=review, decision="sign")
    assert not SignOff.objects.exists()


@pytest.mark.django_db
def test_only_members_in_office_sign(village: Village, actor: User, other_village: Village) -> None:
    people = committee(village, 3)
    review = make_review(village, by=people[0])
    foreign_member = committee(other_village, 3)[0]
    for user in (actor, user_of(make_person(village, with_account=True)), user_of(foreign_member)):
        with pytest.raises(ValidationError, match="Only members of the supervision committee"):
            review_sign(actor=user, review=review, decision="sign")
    with pytest.raises(ValidationError, match="Choose to sign or to dissent"):
        review_sign(actor=user_of(people[0]), review=review, decision="maybe")
    assert not SignOff.objects.exists()


# --- the page ---------------------------------------------------------------------------------


def url(review: Review) -> str:
    return reverse("review_sign", args=[review.village.admin_code, review.pk])


@pytest.mark.django_db
def test_post_signs_and_redirects(village: Village) -> None:
    people = committee(village, 3)
    review = make_review(village, by=people[0])
    response = client_for(people[0]).post(url(review), {"decision": "sign"})
    assert response.status_code == 302
    assert response["Location"] == reverse("review_detail", args=[village.admin_code, review.pk])
    assert SignOff.objects.get().member == people[0]
    page = client_for(people[0]).get(response["Location"])
    assert "1 of 3 members in office have signed; 2 signatures conclude the review" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"decision": "maybe"}, {"decision": "dissent", "reason": ""}])
def test_invalid_post_re_renders_with_400(village: Village, data: dict[str, str]) -> None:
    people = committee(village, 3)
    review = make_review(village, by=people[0])
    assert client_for(people[0]).post(url(review), data).status_code == 400
    assert not SignOff.objects.exists()


@pytest.mark.django_db
def test_signing_twice_on_the_page_is_a_400(village: Village) -> None:
    people = committee(village, 3)
    review = make_review(village, by=people[0])
    client = client_for(people[0])
    client.post(url(review), {"decision": "sign"})
    response = client.post(url(review), {"decision": "sign"})
    assert response.status_code == 400 and "already recorded" in response.content.decode()


@pytest.mark.django_db
def test_access(
    village: Village,
    other_village: Village,
    official_client: Client,
    resident_client: Client,
    outsider_client: Client,
) -> None:
    people = committee(village, 3)
    review = make_review(village, by=people[0])
    for client in (official_client, resident_client):
        assert client.post(url(review), {"decision": "sign"}).status_code == 403
    assert outsider_client.post(url(review), {"decision": "sign"}).status_code == 404
    assert client_for(people[0]).get(url(review)).status_code == 405
    anonymous = Client().post(url(review), {"decision": "sign"})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    foreign = make_review(other_village)
    wrong = reverse("review_sign", args=[village.admin_code, foreign.pk])
    assert client_for(people[0]).post(wrong, {"decision": "sign"}).status_code == 404
    assert not SignOff.objects.exists()
