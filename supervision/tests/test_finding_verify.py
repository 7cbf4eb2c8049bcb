"""The committee's verdict on an answered finding: verified, or reopened with a reason (and maybe
a new deadline), which tells the responsible person and makes the reminder due again. Only an
answered finding; only the committee; never the responsible person on their own answer."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supervision.models import Finding, FindingState, FindingVerification, Review, VerificationOutcome
from supervision.services.findings import finding_verify
from supervision.tests.reviews_testing import committee
from villagegov.models import AuditRecord, Notification, Person, User, Village
from villagegov.testing import client_for, make_person
from villagegov.tests.hostile_testing import in_chinese, refusal_text

from . import findings_testing
from .findings_testing import days_from_today, make_answer, make_finding

# Fixtures shared by the finding tests.
review = findings_testing.review
supervisor = findings_testing.supervisor
supervisor_user = findings_testing.supervisor_user
supervisors = findings_testing.supervisors

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def responsible(village: Village) -> Person:
    return make_person(village, name="报账员老王", with_account=True)


@pytest.fixture
def answered(review: Review, responsible: Person) -> Finding:
    finding = make_finding(review, responsible, deadline=days_from_today(2))
    finding.reminded_at = timezone.now()
    finding.save(update_fields=["reminded_at"])
    make_answer(finding)
    return finding


def test_verified(answered: Finding, supervisor_user: User, responsible: Person) -> None:
    verification = finding_verify(
        actor=supervisor_user, finding=answered, outcome=VerificationOutcome.VERIFIED
    )
    answered.refresh_from_db()
    assert answered.state == FindingState.VERIFIED and verification.verified_by == supervisor_user
    assert Notification.objects.get().person == responsible
    assert AuditRecord.objects.filter(action="finding.verify").count() == 1


def test_reopened_with_a_reason_and_new_deadline(
    answered: Finding, supervisor_user: User, responsible: Person
) -> None:
    finding_verify(
        actor=supervisor_user,
        finding=answered,
        outcome=VerificationOutcome.REOPENED,
        reason="验收单没有盖章。",
        new_deadline=days_from_today(20),
    )
    answered.refresh_from_db()
    assert answered.state == FindingState.OPEN and answered.deadline == days_from_today(20)
    assert answered.reminded_at is None  # reminded again before the new deadline
    told = Notification.objects.get()
    assert told.person == responsible and "没有盖章" in told.message
    assert FindingVerification.objects.get().reason == "验收单没有盖章。"
    assert AuditRecord.objects.filter(action="finding.reopen").count() == 1


def test_reopened_keeps_the_deadline_when_none_is_given(answered: Finding, supervisor_user: User) -> None:
    finding_verify(
        actor=supervisor_user, finding=answered, outcome=VerificationOutcome.REOPENED, reason="不全"
    )
    answered.refresh_from_db()
    assert answered.deadline == days_from_today(2)


@pytest.mark.parametrize("state", [FindingState.OPEN, FindingState.VERIFIED])
def test_only_an_answered_finding(
    review: Review, responsible: Person, supervisor_user: User, state: str
) -> None:
    finding = make_finding(review, responsible, state=FindingState(state))
    for outcome in VerificationOutcome:
        with pytest.raises(ValidationError, match="Only an answered finding"):
            finding_verify(actor=supervisor_user, finding=finding, outcome=outcome, reason="理由")
    assert not FindingVerification.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"outcome": VerificationOutcome.REOPENED, "reason": "  "}, "reason the finding is reopened"),
        (
            {"outcome": VerificationOutcome.REOPENED, "reason": "不全", "new_deadline": days_from_today(-1)},
            "past",
        ),
        ({"outcome": VerificationOutcome.VERIFIED, "new_deadline": days_from_today(5)}, "only set when"),
        ({"outcome": "maybe"}, "Choose whether"),
    ],
)
def test_refuses_bad_verdicts(
    answered: Finding, supervisor_user: User, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        finding_verify(actor=supervisor_user, finding=answered, **kwargs)
    answered.refresh_from_db()
    assert answered.state == FindingState.ANSWERED and not FindingVerification.objects.exists()


def test_only_the_committee_verifies(answered: Finding, actor: User, responsible: Person) -> None:
    assert responsible.user is not None
    for user in (actor, responsible.user):
        with pytest.raises(ValidationError, match="Only members of the supervision committee"):
            finding_verify(actor=user, finding=answered, outcome=VerificationOutcome.VERIFIED)
    assert not FindingVerification.objects.exists()


def test_a_member_never_verifies_their_own_rectification(village: Village, review: Review) -> None:
    member = committee(village, 1)[0]
    finding = make_finding(review, member)
    make_answer(finding)
    assert member.user is not None
    with pytest.raises(ValidationError, match="you are responsible for"):
        finding_verify(actor=member.user, finding=finding, outcome=VerificationOutcome.VERIFIED)
    finding.refresh_from_db()
    assert finding.state == FindingState.ANSWERED


# The form


def url(finding: Finding, name: str = "finding_verify") -> str:
    return reverse(name, args=[finding.review.village.admin_code, finding.pk])


def test_post_verifies_and_redirects(answered: Finding, supervisor: Person) -> None:
    response = client_for(supervisor).post(url(answered), {"outcome": "verified"})
    assert response.status_code == 302 and response["Location"] == url(answered, "finding_detail")
    answered.refresh_from_db()
    assert answered.state == FindingState.VERIFIED


def test_post_reopens_with_a_new_deadline(answered: Finding, supervisor: Person) -> None:
    data = {"outcome": "reopened", "reason": "还缺发票", "deadline": days_from_today(9).isoformat()}
    assert client_for(supervisor).post(url(answered), data).status_code == 302
    answered.refresh_from_db()
    assert answered.state == FindingState.OPEN and answered.deadline == days_from_today(9)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"outcome": "reopened", "reason": ""},
        {"outcome": "reopened", "reason": "不全", "deadline": "2001-01-01"},
        {"outcome": "verified", "deadline": "2099-01-01"},
        {"outcome": "maybe"},
        {"outcome": "reopened", "reason": "不全", "deadline": "99999-99-99"},
    ],
)
def test_invalid_post_re_renders_with_400_and_changes_nothing(
    answered: Finding, supervisor: Person, data: dict[str, str]
) -> None:
    response = client_for(supervisor).post(url(answered), data)
    assert response.status_code == 400
    answered.refresh_from_db()
    assert answered.state == FindingState.ANSWERED and not FindingVerification.objects.exists()


def test_service_refusal_re_renders_with_400(review: Review, responsible: Person, supervisor: Person) -> None:
    finding = make_finding(review, responsible)
    response = client_for(supervisor).post(url(finding), {"outcome": "verified"})
    assert response.status_code == 400 and "Only an answered finding" in response.content.decode()


def test_guards(
    answered: Finding, official_client: Client, outsider_client: Client, responsible: Person
) -> None:
    data = {"outcome": "verified"}
    assert official_client.post(url(answered), data).status_code == 403
    assert client_for(responsible).post(url(answered), data).status_code == 403
    assert outsider_client.post(url(answered), data).status_code == 404
    anonymous = Client().post(url(answered), data)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    answered.refresh_from_db()
    assert answered.state == FindingState.ANSWERED


def test_another_villages_finding_is_not_found(
    answered: Finding, other_village: Village, supervisor: Person
) -> None:
    foreign_supervisor = committee(other_village, 1)[0]
    foreign = reverse("finding_verify", args=[other_village.admin_code, answered.pk])
    assert client_for(foreign_supervisor).post(foreign, {"outcome": "verified"}).status_code == 404
    answered.refresh_from_db()
    assert answered.state == FindingState.ANSWERED


def test_an_invalid_verdict_before_the_answer_says_why_in_chinese(
    review: Review, responsible: Person, supervisor: Person
) -> None:
    finding = make_finding(review, responsible)
    with in_chinese():
        invalid = client_for(supervisor).post(url(finding), {"outcome": "maybe"})
        early = client_for(supervisor).post(url(finding), {"outcome": "verified"})
    assert invalid.status_code == 400 and "选择一个有效的选项" in refusal_text(invalid.content.decode())
    assert early.status_code == 400
    assert "只有已回复的问题才能核实或退回重新整改。" in refusal_text(early.content.decode())
    assert not FindingVerification.objects.exists()
