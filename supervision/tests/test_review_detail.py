"""A review's page: its kind's fields, the subject, entries, evidence, the sign-off panel and the
findings; forms only for the committee's members in office."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from consultations.tests.attendance_testing import make_session
from supervision.models import SignOffDecision
from supervision.selectors.reviews import kind_details
from supervision.tests.reviews_testing import committee, make_evidence, make_review, sign_off
from villagegov.models import Body, Village
from villagegov.testing import client_for, council_of, make_person

pytestmark = pytest.mark.usefixtures("english")


def url(village: Village, review_id: int) -> str:
    return reverse("review_detail", args=[village.admin_code, review_id])


@pytest.mark.django_db
def test_shows_the_kind_fields_subject_and_sign_offs(
    village: Village, official_client: Client, settings: Settings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    people = committee(village, 3)
    subject = make_person(village, name="被审核的人")
    review = make_review(
        village,
        kind="voucher",
        title="一月凭证",
        subject=subject,
        payee="东坑建材店",
        voucher_date=date(2024, 1, 5),
    )
    sign_off(review, people[0])
    sign_off(review, people[1], decision=SignOffDecision.DISSENT, reason="金额不符")
    make_evidence(review, name="原始单据.pdf")
    response = official_client.get(url(village, review.pk))
    assert response.status_code == 200
    text = response.content.decode()
    for expected in (
        "一月凭证",
        "记-2024-015",
        "东坑建材店",
        "被审核的人",
        "金额不符",
        "原始单据.pdf",
        "Findings",
    ):
        assert expected in text
    assert "1 of 3 members in office have signed" in text
    # Officials read; only members of the committee write or sign.
    assert reverse("review_sign", args=[village.admin_code, review.pk]) not in text
    assert reverse("evidence_upload", args=[village.admin_code, review.pk]) not in text


@pytest.mark.django_db
def test_a_meeting_review_links_its_session(village: Village, official_client: Client) -> None:
    session = make_session(council_of(village, Body.REPRESENTATIVES_MEETING))
    review = make_review(village, kind="meeting", session=session)
    text = official_client.get(url(village, review.pk)).content.decode()
    assert reverse("session_detail", args=[village.admin_code, session.pk]) in text


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["project", "disclosure_check", "policy", "complaint"])
def test_every_kind_renders(village: Village, official_client: Client, kind: str) -> None:
    review = make_review(village, kind=kind)
    assert official_client.get(url(village, review.pk)).status_code == 200


@pytest.mark.django_db
def test_members_get_the_forms(village: Village) -> None:
    people = committee(village, 3)
    review = make_review(village)
    text = client_for(people[0]).get(url(village, review.pk)).content.decode()
    for name in ("review_sign", "review_entry_add", "evidence_upload"):
        assert reverse(name, args=[village.admin_code, review.pk]) in text
    sign_off(review, people[0])
    text = client_for(people[0]).get(url(village, review.pk)).content.decode()
    assert reverse("review_sign", args=[village.admin_code, review.pk]) not in text


@pytest.mark.django_db
def test_access(
    village: Village,
    other_village: Village,
    resident_client: Client,
    outsider_client: Client,
    official_client: Client,
) -> None:
    review = make_review(village, title="保密审核")
    response = resident_client.get(url(village, review.pk))
    assert response.status_code == 403 and "保密审核" not in response.content.decode()
    assert outsider_client.get(url(village, review.pk)).status_code == 404
    anonymous = Client().get(url(village, review.pk))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    foreign = make_review(other_village)
    assert official_client.get(url(village, foreign.pk)).status_code == 404
    assert official_client.post(url(village, review.pk)).status_code == 405


@pytest.mark.django_db
def test_sums_show_the_yuan_sign_once(village: Village) -> None:
    review = make_review(
        village, kind="project", project_name="村道", stage="budget", budget=Decimal("260000")
    )
    assert ("budget", "¥260,000.00") in kind_details(review, "project")
    voucher = make_review(village, kind="voucher", amount=Decimal("18650.5"))
    assert ("amount", "¥18,650.50") in kind_details(voucher, "voucher")
