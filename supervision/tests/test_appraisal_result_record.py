"""Recording a member's ratings: counts of each rating, in all more than none and not more than
the attendees; the outcome by the majority rule; once per member. A second consecutive 不称职
ends the member's village-committee seat on the session's day (Art. 33), and says so."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supervision.models import Appraisal, AppraisalRating, AppraisalResult
from supervision.services.appraisal import appraisal_result_record
from supervision.tests.appraisal_testing import committee_member, held_session, make_appraisal, make_result
from supervision.tests.disclosure_testing import supervisor, user_of
from villagegov.models import AuditRecord, CouncilSeat, Notification, Person, User, Village
from villagegov.testing import client_for, make_person
from villagegov.tests.hostile_testing import in_chinese, refusal_text

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def chair(village: Village) -> Person:
    return supervisor(village)


@pytest.fixture
def member(village: Village) -> Person:
    return committee_member(village, name="张委员")


@pytest.fixture
def appraisal(village: Village, chair: Person) -> Appraisal:
    return make_appraisal(village, by=user_of(chair), session=held_session(village, attendees=10))


def _record(
    actor: User, appraisal: Appraisal, person: Person, counts: tuple[int, int, int]
) -> AppraisalResult:
    return appraisal_result_record(
        actor=actor,
        appraisal=appraisal,
        person=person,
        competent=counts[0],
        basically_competent=counts[1],
        incompetent=counts[2],
    )


def _earlier(village: Village, chair: Person, years_back: int) -> Appraisal:
    return make_appraisal(village, by=user_of(chair), year=timezone.localdate().year - years_back)


def _seat(member: Person) -> CouncilSeat:
    return CouncilSeat.objects.get(person=member)


def test_records_the_counts_and_the_outcome(appraisal: Appraisal, chair: Person, member: Person) -> None:
    result = _record(user_of(chair), appraisal, member, (7, 2, 1))
    assert result.outcome == AppraisalRating.COMPETENT and result.seat == _seat(member)
    assert AuditRecord.objects.filter(action="appraisal.result_record").count() == 1
    assert list(Notification.objects.values_list("person_id", flat=True)) == [member.pk]
    assert _seat(member).ends_on is None


def test_two_consecutive_incompetent_end_the_seat(
    village: Village, appraisal: Appraisal, chair: Person, member: Person
) -> None:
    colleague = committee_member(village, name="王委员")
    last_year = _earlier(village, chair, 1)
    make_result(last_year, member, AppraisalRating.INCOMPETENT, by=user_of(chair))
    result = _record(user_of(chair), appraisal, member, (2, 2, 6))
    assert result.outcome == AppraisalRating.INCOMPETENT
    assert _seat(member).ends_on == timezone.localdate(appraisal.session.starts_at)
    assert AuditRecord.objects.filter(action="council.seat_end").count() == 1
    office_end = AuditRecord.objects.get(action="appraisal.office_end")
    assert office_end.after is not None and "第三十三条" in office_end.after["reason"]
    told = set(Notification.objects.values_list("person_id", flat=True))
    assert {member.pk, colleague.pk, chair.pk} <= told
    assert "two consecutive appraisals" in Notification.objects.filter(person=colleague).get().message


def test_one_incompetent_does_not(
    village: Village, appraisal: Appraisal, chair: Person, member: Person
) -> None:
    last_year = _earlier(village, chair, 1)
    make_result(last_year, member, AppraisalRating.BASICALLY_COMPETENT, by=user_of(chair))
    assert _record(user_of(chair), appraisal, member, (1, 1, 8)).outcome == AppraisalRating.INCOMPETENT
    assert _seat(member).ends_on is None
    assert not AuditRecord.objects.filter(action="council.seat_end").exists()


def test_non_consecutive_incompetent_does_not(
    village: Village, appraisal: Appraisal, chair: Person, member: Person
) -> None:
    make_result(_earlier(village, chair, 2), member, AppraisalRating.INCOMPETENT, by=user_of(chair))
    make_result(_earlier(village, chair, 1), member, AppraisalRating.COMPETENT, by=user_of(chair))
    _record(user_of(chair), appraisal, member, (1, 1, 8))
    assert _seat(member).ends_on is None


def test_not_rated_in_the_previous_appraisal_does_not(
    village: Village, appraisal: Appraisal, chair: Person, member: Person
) -> None:
    make_result(_earlier(village, chair, 2), member, AppraisalRating.INCOMPETENT, by=user_of(chair))
    _earlier(village, chair, 1)  # held, but this member was not rated in it
    _record(user_of(chair), appraisal, member, (1, 1, 8))
    assert _seat(member).ends_on is None


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ((0, 0, 0), "at least one"),
        ((6, 3, 2), "more than the 10 people who attended"),
        ((-1, 2, 2), "whole number of zero or more"),
    ],
)
def test_refused_counts(
    appraisal: Appraisal, chair: Person, member: Person, counts: tuple[int, int, int], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        _record(user_of(chair), appraisal, member, counts)
    assert not AppraisalResult.objects.exists() and not AuditRecord.objects.exists()


def test_refused_twice_for_a_member_and_for_a_non_member(
    village: Village, appraisal: Appraisal, chair: Person, member: Person
) -> None:
    _record(user_of(chair), appraisal, member, (5, 5, 0))
    with pytest.raises(ValidationError, match="already recorded"):
        _record(user_of(chair), appraisal, member, (5, 5, 0))
    with pytest.raises(ValidationError, match="not a member of the village committee"):
        _record(user_of(chair), appraisal, make_person(village, name="普通村民"), (5, 5, 0))
    assert AppraisalResult.objects.count() == 1


def test_refused_to_a_non_supervisor_and_once_closed(
    appraisal: Appraisal, chair: Person, member: Person, official: Person
) -> None:
    assert official.user is not None
    with pytest.raises(ValidationError, match="Only members of the supervision committee"):
        _record(official.user, appraisal, member, (5, 5, 0))
    Appraisal.objects.filter(pk=appraisal.pk).update(closed_at=timezone.now())
    with pytest.raises(ValidationError, match="no more results"):
        _record(user_of(chair), appraisal, member, (5, 5, 0))
    assert not AppraisalResult.objects.exists()


def _url(appraisal: Appraisal, person: Person, code: str | None = None) -> str:
    return reverse(
        "appraisal_result_record", args=[code or appraisal.village.admin_code, appraisal.pk, person.pk]
    )


DATA = {"competent": "6", "basically_competent": "3", "incompetent": "1"}


def test_post_records_and_redirects(appraisal: Appraisal, chair: Person, member: Person) -> None:
    response = client_for(chair).post(_url(appraisal, member), DATA)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "appraisal_detail", args=[appraisal.village.admin_code, appraisal.pk]
    )
    assert AppraisalResult.objects.get().outcome == AppraisalRating.COMPETENT


def test_post_ending_the_office_says_so_on_the_page(
    village: Village, appraisal: Appraisal, chair: Person, member: Person
) -> None:
    make_result(_earlier(village, chair, 1), member, AppraisalRating.INCOMPETENT, by=user_of(chair))
    client = client_for(chair)
    client.post(_url(appraisal, member), {"competent": "1", "basically_competent": "1", "incompetent": "8"})
    page = client.get(reverse("appraisal_detail", args=[village.admin_code, appraisal.pk])).content.decode()
    assert "office ended" in page and "Art. 33" in page


def test_invalid_or_refused_post_is_400_and_changes_nothing(
    appraisal: Appraisal, chair: Person, member: Person
) -> None:
    client = client_for(chair)
    assert client.post(_url(appraisal, member), {"competent": "x"}).status_code == 400
    assert client.post(_url(appraisal, member), DATA | {"incompetent": str(10**30)}).status_code == 400
    response = client.post(_url(appraisal, member), DATA | {"competent": "60"})
    assert response.status_code == 400 and "attended the session" in response.content.decode()
    assert not AppraisalResult.objects.exists() and not AuditRecord.objects.exists()


def test_other_villages_ids_and_wrong_roles(
    village: Village,
    other_village: Village,
    appraisal: Appraisal,
    chair: Person,
    member: Person,
    official_client: Client,
    outsider: Person,
) -> None:
    client = client_for(chair)
    stranger = make_person(other_village)
    assert client.post(_url(appraisal, stranger), DATA).status_code == 404
    foreign = make_appraisal(other_village, by=user_of(chair))
    assert client.post(_url(foreign, member), DATA).status_code == 404
    assert client.get(_url(appraisal, member)).status_code == 405
    assert official_client.post(_url(appraisal, member), DATA).status_code == 403
    assert client_for(outsider).post(_url(appraisal, member), DATA).status_code == 404
    anonymous = Client().post(_url(appraisal, member), DATA)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    assert not AppraisalResult.objects.exists()


def test_a_post_the_page_no_longer_offers_says_why_in_chinese(
    appraisal: Appraisal, chair: Person, member: Person
) -> None:
    client = client_for(chair)
    assert client.post(_url(appraisal, member), DATA).status_code == 302
    with in_chinese():
        invalid = client.post(_url(appraisal, member), {"competent": "x"})
        again = client.post(_url(appraisal, member), DATA)
    assert invalid.status_code == 400 and "输入整数。" in refusal_text(invalid.content.decode())
    assert again.status_code == 400
    assert "本次评议已经登记过张委员的结果。" in refusal_text(again.content.decode())
    assert AppraisalResult.objects.count() == 1
