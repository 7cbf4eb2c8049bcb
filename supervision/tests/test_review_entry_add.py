"""Notes on a review are appended, never edited or deleted; a correction names the entry of the
same review it corrects. The page: POST ok, invalid → 400, wrong role → 403, other village → 404."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from supervision.models import Review, ReviewEntry, ReviewState
from supervision.services.reviews import review_entry_add
from supervision.tests.reviews_testing import committee, make_review
from villagegov.models import AuditRecord, Person, User, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")


def user_of(person: Person) -> User:
    assert person.user is not None
    return person.user


@pytest.mark.django_db
def test_appends_notes_and_corrections(village: Village) -> None:
    member = committee(village, 3)[1]
    review = make_review(village)
    first = review_entry_add(actor=user_of(member), review=review, text="  凭证金额 1200 元 \r\n ")
    correction = review_entry_add(actor=user_of(member), review=review, text="应为 1300 元", corrects=first)
    assert first.text == "凭证金额 1200 元"
    assert correction.corrects == first
    assert list(review.entries.order_by("pk")) == [first, correction]
    assert ReviewEntry.objects.get(pk=first.pk).text == "凭证金额 1200 元"  # the corrected entry stays
    assert AuditRecord.objects.filter(action="review.entry_add").count() == 2


@pytest.mark.django_db
def test_a_concluded_review_still_takes_corrections(village: Village) -> None:
    member = committee(village, 3)[0]
    review = make_review(village, state=ReviewState.CONCLUDED)
    assert review_entry_add(actor=user_of(member), review=review, text="补充说明").pk


@pytest.mark.django_db
def test_refusals(village: Village, actor: User) -> None:
    member = committee(village, 3)[0]
    review, other = make_review(village), make_review(village)
    elsewhere = review_entry_add(actor=user_of(member), review=other, text="别的审核")
    with pytest.raises(ValidationError, match="same review"):
        review_entry_add(actor=user_of(member), review=review, text="更正", corrects=elsewhere)
    with pytest.raises(ValidationError, match="Write the note"):
        review_entry_add(actor=user_of(member), review=review, text="  ")
    with pytest.raises(ValidationError, match="too long"):
        review_entry_add(actor=user_of(member), review=review, text="长" * 5001)
    with pytest.raises(ValidationError, match="Only members of the supervision committee"):
        review_entry_add(actor=actor, review=review, text="官员")
    assert ReviewEntry.objects.count() == 1


def url(review: Review) -> str:
    return reverse("review_entry_add", args=[review.village.admin_code, review.pk])


@pytest.mark.django_db
def test_post_adds_the_note_and_the_page_shows_it(village: Village) -> None:
    member = committee(village, 3)[0]
    review = make_review(village)
    client = client_for(member)
    response = client.post(url(review), {"text": "已核对原始单据"})
    assert response.status_code == 302
    first = ReviewEntry.objects.get()
    response = client.post(url(review), {"text": "更正：缺一张", "corrects": first.pk})
    assert response.status_code == 302
    page = client.get(reverse("review_detail", args=[village.admin_code, review.pk])).content.decode()
    assert "已核对原始单据" in page and "更正：缺一张" in page and "correction" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [{"text": ""}, {"text": "x", "corrects": "99999999999999999999"}, {"text": "x", "corrects": "abc"}, {}],
)
def test_invalid_post_re_renders_with_400(village: Village, data: dict[str, str]) -> None:
    member = committee(village, 3)[0]
    review = make_review(village)
    assert client_for(member).post(url(review), data).status_code == 400
    assert not ReviewEntry.objects.exists()


@pytest.mark.django_db
def test_an_entry_of_another_review_is_not_offered(village: Village) -> None:
    member = committee(village, 3)[0]
    review, other = make_review(village), make_review(village)
    elsewhere = review_entry_add(actor=user_of(member), review=other, text="别的")
    response = client_for(member).post(url(review), {"text": "更正", "corrects": elsewhere.pk})
    assert response.status_code == 400
    assert ReviewEntry.objects.count() == 1


@pytest.mark.django_db
def test_access(
    village: Village,
    other_village: Village,
    official_client: Client,
    resident_client: Client,
    outsider_client: Client,
) -> None:
    member = committee(village, 3)[0]
    review = make_review(village)
    for client in (official_client, resident_client):
        assert client.post(url(review), {"text": "x"}).status_code == 403
    assert outsider_client.post(url(review), {"text": "x"}).status_code == 404
    assert client_for(member).get(url(review)).status_code == 405
    anonymous = Client().post(url(review), {"text": "x"})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    foreign = make_review(other_village)
    wrong = reverse("review_entry_add", args=[village.admin_code, foreign.pk])
    assert client_for(member).post(wrong, {"text": "x"}).status_code == 404
    assert not ReviewEntry.objects.exists()
