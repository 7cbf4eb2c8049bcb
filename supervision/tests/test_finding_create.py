"""Recording a finding: by a committee member, on a review of the village (open or concluded),
with a responsible person on the roster and a deadline not in the past; the responsible person is
told in the app and by SMS. And the page's GET and POST."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from supervision.models import Finding, FindingState, Review, ReviewState
from supervision.services.findings import finding_create
from supervision.tests.reviews_testing import make_review
from villagegov.models import AuditRecord, Notification, Person, User, Village
from villagegov.testing import client_for, make_person

from . import findings_testing
from .findings_testing import days_from_today

# Fixtures shared by the finding tests.
review = findings_testing.review
sms_outbox = findings_testing.sms_outbox
supervisor = findings_testing.supervisor
supervisor_user = findings_testing.supervisor_user
supervisors = findings_testing.supervisors

pytestmark = pytest.mark.usefixtures("english")


def create(actor: User, review: Review, responsible: Person, **overrides: Any) -> Finding:
    values: dict[str, Any] = {
        "description": "报账凭证缺少经手人签字",
        "required_action": "补齐签字",
        "deadline": days_from_today(7),
    } | overrides
    return finding_create(actor=actor, review=review, responsible=responsible, **values)


def test_records_an_open_finding_and_tells_the_responsible_person(
    village: Village,
    supervisor_user: User,
    review: Review,
    sms_outbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    responsible = make_person(village, name="报账员老王", with_account=True)
    responsible.phone = "+8613800138000"
    responsible.save(update_fields=["phone"])
    with django_capture_on_commit_callbacks(execute=True):
        finding = create(supervisor_user, review, responsible, description="  缺少签字  ")
    assert finding.state == FindingState.OPEN and finding.description == "缺少签字"
    assert finding.created_by == supervisor_user and finding.reminded_at is None
    told = Notification.objects.get(person=responsible)
    assert "缺少签字" in told.message and told.link == reverse(
        "finding_detail", args=[village.admin_code, finding.pk]
    )
    assert [m.phone for m in sms_outbox] == ["+8613800138000"]
    assert AuditRecord.objects.filter(action="finding.create", target_id=str(finding.pk)).count() == 1


def test_a_concluded_review_takes_findings_too(
    village: Village, supervisor: Person, supervisor_user: User
) -> None:
    concluded = make_review(village, by=supervisor, state=ReviewState.CONCLUDED)
    finding = create(supervisor_user, concluded, make_person(village))
    assert finding.review_id == concluded.pk


def test_the_deadline_may_be_today(village: Village, supervisor_user: User, review: Review) -> None:
    assert create(supervisor_user, review, make_person(village), deadline=days_from_today(0)).pk


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"deadline": days_from_today(-1)}, "cannot be in the past"),
        ({"description": "   "}, "Describe what was found"),
        ({"required_action": ""}, "what must be done"),
        ({"description": "长" * 5001}, "too long"),
    ],
)
def test_refuses_bad_content(
    village: Village, supervisor_user: User, review: Review, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        create(supervisor_user, review, make_person(village), **overrides)
    assert not Finding.objects.exists() and not Notification.objects.exists()


def test_only_committee_members_record_findings(village: Village, actor: User, review: Review) -> None:
    with pytest.raises(ValidationError, match="Only members of the supervision committee"):
        create(actor, review, make_person(village))
    assert not Finding.objects.exists()


def test_the_responsible_person_must_be_on_the_village_roster(
    village: Village, other_village: Village, supervisor_user: User, review: Review
) -> None:
    for person in (make_person(other_village), make_person(village, left_on=days_from_today(-30))):
        with pytest.raises(ValidationError, match="on this village's roster"):
            create(supervisor_user, review, person)
    assert not Finding.objects.exists()


# The page


def url(review: Review) -> str:
    return reverse("finding_create", args=[review.village.admin_code, review.pk])


def post_data(person: Person, **overrides: str) -> dict[str, str]:
    return {
        "description": "工程款支付缺少验收单",
        "required_action": "补交验收单",
        "responsible": f"{person.name} (#{person.pk})",
        "deadline": days_from_today(14).isoformat(),
    } | overrides


def test_page_offers_the_roster_and_records_the_finding(
    village: Village, supervisor: Person, review: Review
) -> None:
    responsible = make_person(village, name="出纳小李")
    client = client_for(supervisor)
    page = client.get(url(review))
    assert page.status_code == 200 and f"出纳小李 (#{responsible.pk})" in page.content.decode()
    response = client.post(url(review), post_data(responsible))
    finding = Finding.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "finding_detail", args=[village.admin_code, finding.pk]
    )
    assert finding.responsible == responsible and finding.deadline == days_from_today(14)


@pytest.mark.parametrize(
    "overrides",
    [
        {"deadline": "2001-01-01"},
        {"deadline": "2024-02-30"},
        {"responsible": "没有这个人"},
        {"responsible": "某人 (#99999999999)"},
        {"description": ""},
    ],
)
def test_invalid_post_re_renders_with_400_and_changes_nothing(
    village: Village, supervisor: Person, review: Review, overrides: dict[str, str]
) -> None:
    response = client_for(supervisor).post(url(review), post_data(make_person(village), **overrides))
    assert response.status_code == 400 and not Finding.objects.exists()


def test_a_person_of_another_village_is_not_found_by_number(
    village: Village, other_village: Village, supervisor: Person, review: Review
) -> None:
    stranger = make_person(other_village, name="外村人")
    response = client_for(supervisor).post(url(review), post_data(stranger))
    assert response.status_code == 400 and not Finding.objects.exists()


def test_guards(
    village: Village,
    other_village: Village,
    supervisor: Person,
    review: Review,
    official_client: Client,
    outsider_client: Client,
) -> None:
    data = post_data(make_person(village))
    assert official_client.post(url(review), data).status_code == 403
    assert outsider_client.post(url(review), data).status_code == 404
    anonymous = Client().post(url(review), data)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    foreign = make_review(other_village, title="外村审核")
    assert (
        client_for(supervisor)
        .post(url(foreign).replace(other_village.admin_code, village.admin_code), data)
        .status_code
        == 404
    )
    assert not Finding.objects.exists()
