"""Opening a review: each kind with its own fields, by a member of the committee in office, about
an optional subject of this village given as `<app_label>.<model>:<id>` and checked generically.
The page: the kind picker, each kind's form, POST ok / invalid → 400, wrong role → 403, other
village → 404, anonymous → login."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.tests.attendance_testing import make_session
from supervision.models import MeetingAttendance, Review
from supervision.selectors.reviews import REVIEW_KINDS, subject_from_reference, subject_reviews
from supervision.services.reviews import review_create
from supervision.tests.reviews_testing import committee
from villagegov.models import AuditRecord, Body, User, Village
from villagegov.testing import client_for, council_of, make_person

pytestmark = pytest.mark.usefixtures("english")


def kind_fields(village: Village) -> dict[str, dict[str, Any]]:
    return {
        "voucher": {
            "voucher_number": "记-015",
            "voucher_date": date(2024, 3, 1),
            "amount": Decimal("1200.50"),
        },
        "project": {"project_name": "村道硬化", "stage": "bidding", "budget": Decimal("300000")},
        "disclosure_check": {"period_start": date(2024, 1, 1), "period_end": date(2024, 3, 31)},
        "meeting": {"session": make_session(council_of(village, Body.REPRESENTATIVES_MEETING))},
        "policy": {"policy_name": "耕地地力保护补贴", "beneficiaries": 120, "amount": None},
        "distribution": {"plan_year": 2024, "amount": Decimal("350000.00")},
        "complaint": {
            "complainant": make_person(village),
            "complaint": "路灯坏了",
            "received_on": date(2024, 5, 1),
        },
    }


def supervisor_user(village: Village) -> User:
    user = committee(village, 3)[0].user
    assert user is not None
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(REVIEW_KINDS))
def test_opens_a_review_of_each_kind(village: Village, kind: str) -> None:
    user = supervisor_user(village)
    review = review_create(
        actor=user,
        village=village,
        kind=kind,
        title="  审核  ",
        summary="说明",
        fields=kind_fields(village)[kind],
    )
    stored = Review.objects.get(pk=review.pk)
    assert isinstance(stored, REVIEW_KINDS[kind])
    assert stored.title == "审核" and stored.state == "open" and stored.opened_by == user
    assert AuditRecord.objects.filter(action="review.create", target_id=str(review.pk)).exists()


@pytest.mark.django_db
def test_only_members_of_the_committee_in_office_open_reviews(village: Village, actor: User) -> None:
    with pytest.raises(ValidationError, match="Only members of the supervision committee"):
        review_create(actor=actor, village=village, kind="voucher", title="x", fields={"voucher_number": "1"})
    assert not Review.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        ("voucher", {"voucher_number": "  "}, "Enter the voucher number"),
        ("voucher", {"voucher_number": "1", "amount": Decimal("-1")}, "zero or more"),
        ("voucher", {"voucher_number": "1", "voucher_date": date(2999, 1, 1)}, "cannot be in the future"),
        ("project", {"project_name": "路", "stage": "dreaming"}, "stage"),
        (
            "disclosure_check",
            {"period_start": date(2024, 4, 1), "period_end": date(2024, 1, 1)},
            "cannot end",
        ),
        ("meeting", {"session": None}, "Choose the meeting"),
        ("complaint", {"complaint": "x", "received_on": None}, "Enter the day"),
        ("policy", {"policy_name": ""}, "Enter the policy"),
        ("distribution", {"plan_year": 1999}, "financial year"),
        ("voucher", {"voucher_number": "1", "stage": "bidding"}, "do not belong"),
    ],
)
def test_refuses_bad_kind_fields(village: Village, kind: str, fields: dict[str, Any], message: str) -> None:
    user = supervisor_user(village)
    with pytest.raises(ValidationError, match=message):
        review_create(actor=user, village=village, kind=kind, title="审核", fields=fields)
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_refuses_a_meeting_or_complainant_of_another_village(
    village: Village, other_village: Village
) -> None:
    user = supervisor_user(village)
    foreign = make_session(council_of(other_village, Body.REPRESENTATIVES_MEETING))
    with pytest.raises(ValidationError, match="not one of this village's"):
        review_create(actor=user, village=village, kind="meeting", title="列席", fields={"session": foreign})
    fields = {"complainant": make_person(other_village), "complaint": "x", "received_on": date(2024, 1, 1)}
    with pytest.raises(ValidationError, match="not on this village's roster"):
        review_create(actor=user, village=village, kind="complaint", title="反映", fields=fields)
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_records_the_subject(village: Village) -> None:
    user = supervisor_user(village)
    session = make_session(council_of(village, Body.REPRESENTATIVES_MEETING))
    review = review_create(
        actor=user,
        village=village,
        kind="voucher",
        title="x",
        fields={"voucher_number": "1"},
        subject=session,
    )
    assert list(subject_reviews(session)) == [Review.objects.non_polymorphic().get(pk=review.pk)]


@pytest.mark.django_db
def test_refuses_a_subject_of_another_village(village: Village, other_village: Village) -> None:
    user = supervisor_user(village)
    foreign = make_session(council_of(other_village, Body.REPRESENTATIVES_MEETING))
    with pytest.raises(ValidationError, match="not found in this village"):
        review_create(
            actor=user,
            village=village,
            kind="voucher",
            title="x",
            fields={"voucher_number": "1"},
            subject=foreign,
        )


@pytest.mark.django_db
def test_subject_references_are_checked_generically(village: Village, other_village: Village) -> None:
    session = make_session(council_of(village, Body.REPRESENTATIVES_MEETING))
    person = make_person(village)
    council = council_of(village, Body.VILLAGE_COMMITTEE)
    assert (
        subject_from_reference(village, f"consultations.session:{session.pk}") == session
    )  # council.village
    assert subject_from_reference(village, f"villagegov.person:{person.pk}") == person  # village
    assert subject_from_reference(village, f"villagegov.council:{council.pk}") == council
    foreign = make_session(council_of(other_village, Body.REPRESENTATIVES_MEETING))
    user = person.user or make_person(village, with_account=True).user
    assert user is not None
    for bad in [
        f"consultations.session:{foreign.pk}",  # another village's
        f"villagegov.user:{user.pk}",  # no path to a village
        "nosuchapp.thing:1",
        "consultations.nosuchmodel:1",
        "consultations.session:999999999999999999",
        "consultations.session:99999999999999999999999",
        "consultations.session",
        "CONSULTATIONS.SESSION:1",
        "",
        "../../etc/passwd",
    ]:
        with pytest.raises(ValidationError, match="not found in this village"):
            subject_from_reference(village, bad)


# --- the page ---------------------------------------------------------------------------------


def url(village: Village, query: str = "") -> str:
    return reverse("review_create", args=[village.admin_code]) + query


@pytest.mark.django_db
def test_without_a_kind_the_page_offers_the_kinds(village: Village) -> None:
    client = client_for(committee(village, 3)[0])
    response = client.get(url(village))
    assert response.status_code == 200
    text = response.content.decode()
    for kind in REVIEW_KINDS:
        assert f"?kind={kind}" in text
    assert client.get(url(village, "?kind=nonsense")).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "field"),
    [
        ("voucher", "voucher_number"),
        ("project", "stage"),
        ("disclosure_check", "period_end"),
        ("meeting", "session"),
        ("policy", "beneficiaries"),
        ("distribution", "plan_year"),
        ("complaint", "complainant"),
    ],
)
def test_each_kind_shows_its_own_fields(village: Village, kind: str, field: str) -> None:
    client = client_for(committee(village, 3)[0])
    response = client.get(url(village, f"?kind={kind}"))
    assert response.status_code == 200
    assert f'name="{field}"' in response.content.decode()


@pytest.mark.django_db
def test_post_opens_the_review_and_redirects(village: Village) -> None:
    client = client_for(committee(village, 3)[0])
    session = make_session(council_of(village, Body.REPRESENTATIVES_MEETING))
    response = client.post(url(village, "?kind=meeting"), {"title": "列席代表会议", "session": session.pk})
    review = MeetingAttendance.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("review_detail", args=[village.admin_code, review.pk])
    assert review.session == session


@pytest.mark.django_db
def test_post_with_a_subject_records_it(village: Village) -> None:
    client = client_for(committee(village, 3)[0])
    person = make_person(village, name="被审核人")
    reference = f"villagegov.person:{person.pk}"
    page = client.get(url(village, f"?kind=voucher&subject={reference}"))
    assert page.status_code == 200 and "被审核人" in page.content.decode()
    response = client.post(
        url(village, "?kind=voucher"), {"title": "凭证", "voucher_number": "9", "subject": reference}
    )
    assert response.status_code == 302
    assert subject_reviews(person).count() == 1


@pytest.mark.django_db
def test_a_bad_subject_is_refused_with_400(village: Village, other_village: Village) -> None:
    client = client_for(committee(village, 3)[0])
    foreign = make_person(other_village, name="外村人")
    reference = f"villagegov.person:{foreign.pk}"
    page = client.get(url(village, f"?kind=voucher&subject={reference}"))
    assert page.status_code == 400 and "外村人" not in page.content.decode()
    response = client.post(
        url(village, "?kind=voucher"), {"title": "凭证", "voucher_number": "9", "subject": reference}
    )
    assert response.status_code == 400
    assert not Review.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("voucher", {"title": "", "voucher_number": "1"}),
        ("voucher", {"title": "x", "voucher_number": "1", "amount": "-5"}),
        ("voucher", {"title": "x", "voucher_number": "1", "amount": "1e400"}),
        ("project", {"title": "x", "project_name": "路", "stage": "nope"}),
        ("disclosure_check", {"title": "x", "period_start": "2024-04-01", "period_end": "2024-01-01"}),
        ("meeting", {"title": "x", "session": "99999999999999999999999"}),
        ("policy", {"title": "x", "policy_name": "补贴", "beneficiaries": "10000000000000"}),
        (
            "complaint",
            {"title": "x", "complaint": "y", "received_on": "2024-01-01", "complainant": "查无此人"},
        ),
        ("nonsense", {"title": "x"}),
    ],
)
def test_invalid_post_re_renders_with_400_and_changes_nothing(
    village: Village, kind: str, data: dict[str, str]
) -> None:
    client = client_for(committee(village, 3)[0])
    assert client.post(url(village, f"?kind={kind}"), data).status_code == 400
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_a_session_of_another_village_is_not_offered(village: Village, other_village: Village) -> None:
    client = client_for(committee(village, 3)[0])
    foreign = make_session(council_of(other_village, Body.REPRESENTATIVES_MEETING))
    response = client.post(url(village, "?kind=meeting"), {"title": "列席", "session": foreign.pk})
    assert response.status_code == 400
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_access(
    village: Village, official_client: Client, resident_client: Client, outsider_client: Client
) -> None:
    data = {"title": "x", "voucher_number": "1"}
    for client in (official_client, resident_client):
        assert client.get(url(village, "?kind=voucher")).status_code == 403
        assert client.post(url(village, "?kind=voucher"), data).status_code == 403
    assert outsider_client.get(url(village)).status_code == 404
    anonymous = Client().get(url(village))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_a_former_member_cannot_open_reviews(village: Village) -> None:
    person = committee(village, 3)[2]
    person.council_seats.update(ends_on=timezone.localdate() - timedelta(days=1))
    assert (
        client_for(person)
        .post(url(village, "?kind=voucher"), {"title": "x", "voucher_number": "1"})
        .status_code
        == 403
    )
