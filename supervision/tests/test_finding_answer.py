"""The responsible person's answer: only they answer, only an open finding; what was done with
evidence files (PDF/JPEG/PNG/WebP by content, at most 10 MB); the finding awaits verification and
the committee is told; several answers over time are kept. And the form's POST."""

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from consultations.uploads import validated_upload
from supervision.models import (
    Evidence,
    Finding,
    FindingResponse,
    FindingState,
    Review,
    VerificationOutcome,
)
from supervision.services.findings import finding_answer, finding_verify
from supervision.services.reviews import EVIDENCE_MAX_BYTES, EVIDENCE_MAX_FILES, EVIDENCE_TYPES
from supervision.views import findings as finding_views
from villagegov.models import AuditRecord, Notification, Person, User, Village
from villagegov.testing import client_for, make_person
from villagegov.tests.hostile_testing import in_chinese, refusal_text

from . import findings_testing
from .findings_testing import HTML_BYTES, PDF_BYTES, PNG_BYTES, make_finding, pdf_upload

# Fixtures shared by the finding tests.
media = findings_testing.media
review = findings_testing.review
supervisor = findings_testing.supervisor
supervisor_user = findings_testing.supervisor_user
supervisors = findings_testing.supervisors

pytestmark = pytest.mark.usefixtures("english", "media")


@pytest.fixture
def responsible(village: Village) -> Person:
    return make_person(village, name="报账员老王", with_account=True)


@pytest.fixture
def finding(review: Review, responsible: Person) -> Finding:
    return make_finding(review, responsible)


def user_of(person: Person) -> User:
    assert person.user is not None
    return person.user


def checked(upload: SimpleUploadedFile) -> tuple[Any, str]:
    return (
        validated_upload(upload, allowed_types=EVIDENCE_TYPES, max_bytes=EVIDENCE_MAX_BYTES),
        upload.name or "",
    )


def test_answer_with_evidence_awaits_verification_and_tells_the_committee(
    finding: Finding, responsible: Person, supervisors: list[Person], media: Path
) -> None:
    response = finding_answer(
        actor=user_of(responsible),
        finding=finding,
        text="已补齐签字",
        uploads=[checked(pdf_upload("签字.pdf"))],
    )
    finding.refresh_from_db()
    assert finding.state == FindingState.ANSWERED
    assert response.responded_by == responsible and response.text == "已补齐签字"
    evidence = Evidence.objects.get()
    assert evidence.response == response and evidence.review_id == finding.review_id
    assert evidence.original_name == "签字.pdf" and evidence.content_type == "application/pdf"
    assert (media / evidence.file.name).is_file() and "签字" not in evidence.file.name
    told = set(Notification.objects.values_list("person_id", flat=True))
    assert told == {member.pk for member in supervisors}
    assert AuditRecord.objects.filter(action="finding.answer").count() == 1
    assert AuditRecord.objects.filter(action="evidence.add").count() == 1


def test_several_answers_over_time_are_kept(
    finding: Finding, responsible: Person, supervisor_user: User
) -> None:
    finding_answer(actor=user_of(responsible), finding=finding, text="第一次回复")
    finding_verify(
        actor=supervisor_user, finding=finding, outcome=VerificationOutcome.REOPENED, reason="签字仍不全"
    )
    finding_answer(actor=user_of(responsible), finding=finding, text="第二次回复")
    assert list(FindingResponse.objects.filter(finding=finding).values_list("text", flat=True)) == [
        "第一次回复",
        "第二次回复",
    ]


def test_only_the_responsible_person_answers(
    village: Village, finding: Finding, supervisor_user: User, actor: User
) -> None:
    other = make_person(village, with_account=True)
    for user in (user_of(other), supervisor_user, actor):
        with pytest.raises(ValidationError, match="Only the person responsible"):
            finding_answer(actor=user, finding=finding, text="我来回复")
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN and not FindingResponse.objects.exists()


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (FindingState.ANSWERED, "awaits the committee's verification"),
        (FindingState.VERIFIED, "no more answers"),
    ],
)
def test_only_an_open_finding_is_answered(
    review: Review, responsible: Person, state: FindingState, message: str
) -> None:
    finding = make_finding(review, responsible, state=state)
    with pytest.raises(ValidationError, match=message):
        finding_answer(actor=user_of(responsible), finding=finding, text="再次回复")
    assert not FindingResponse.objects.exists()


def test_refuses_an_empty_answer_and_too_many_files(
    finding: Finding, responsible: Person, media: Path
) -> None:
    with pytest.raises(ValidationError, match="Say what was done"):
        finding_answer(actor=user_of(responsible), finding=finding, text="  ")
    with pytest.raises(ValidationError, match="At most 10 files at a time"):
        finding_answer(
            actor=user_of(responsible),
            finding=finding,
            text="已整改",
            uploads=[checked(pdf_upload())] * (EVIDENCE_MAX_FILES + 1),
        )
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN and not FindingResponse.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


def test_a_left_person_can_no_longer_answer(village: Village, finding: Finding, responsible: Person) -> None:
    responsible.left_on = responsible.joined_on
    responsible.save(update_fields=["left_on"])
    with pytest.raises(ValidationError, match="Only the person responsible"):
        finding_answer(actor=user_of(responsible), finding=finding, text="已整改")


# The form


def url(finding: Finding, name: str = "finding_answer") -> str:
    return reverse(name, args=[finding.review.village.admin_code, finding.pk])


def test_post_answers_with_files_and_redirects(finding: Finding, responsible: Person) -> None:
    files = [pdf_upload("验收单.pdf"), SimpleUploadedFile("现场.png", PNG_BYTES, content_type="image/png")]
    response = client_for(responsible).post(url(finding), {"text": "已补交验收单", "evidence": files})
    assert response.status_code == 302 and response["Location"] == url(finding, "finding_detail")
    finding.refresh_from_db()
    assert finding.state == FindingState.ANSWERED
    assert sorted(Evidence.objects.values_list("content_type", flat=True)) == ["application/pdf", "image/png"]


@pytest.mark.parametrize(
    "data",
    [
        {"text": ""},
        {"text": "已整改", "evidence": SimpleUploadedFile("照片.jpg", HTML_BYTES, content_type="image/jpeg")},
        {"text": "已整改", "evidence": SimpleUploadedFile("空.pdf", b"", content_type="application/pdf")},
        {"text": "长" * 5001},
    ],
)
def test_invalid_post_re_renders_with_400_and_changes_nothing(
    finding: Finding, responsible: Person, data: dict[str, Any], media: Path
) -> None:
    response = client_for(responsible).post(url(finding), data)
    assert response.status_code == 400
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN and not FindingResponse.objects.exists()
    assert not Evidence.objects.exists() and not [p for p in media.rglob("*") if p.is_file()]


def test_oversize_file_is_refused(finding: Finding, responsible: Person, settings: Any) -> None:
    big = pdf_upload("大.pdf", b"%PDF-1.4\n" + b"0" * EVIDENCE_MAX_BYTES)
    response = client_for(responsible).post(url(finding), {"text": "已整改", "evidence": big})
    assert response.status_code == 400 and "too big" in response.content.decode()
    assert not FindingResponse.objects.exists()


def test_service_refusal_re_renders_with_400(review: Review, responsible: Person) -> None:
    finding = make_finding(review, responsible, state=FindingState.ANSWERED)
    response = client_for(responsible).post(url(finding), {"text": "再来一次"})
    assert response.status_code == 400 and "awaits the committee" in response.content.decode()
    assert not FindingResponse.objects.exists()


def test_guards(
    village: Village,
    finding: Finding,
    resident_client: Client,
    outsider_client: Client,
    official_client: Client,
) -> None:
    data = {"text": "不是我的整改"}
    assert resident_client.post(url(finding), data).status_code == 404  # not theirs: it does not exist
    assert outsider_client.post(url(finding), data).status_code == 404
    assert official_client.post(url(finding), data).status_code == 400  # sees it, may not answer it
    anonymous = Client().post(url(finding), data)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    assert resident_client.get(url(finding)).status_code == 405
    assert not FindingResponse.objects.exists()


def test_an_upload_past_the_total_limit_is_stopped_with_a_clear_message(
    finding: Finding, responsible: Person, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(finding_views, "EVIDENCE_UPLOAD_MAX_BYTES", 5000)
    big = pdf_upload("big.pdf", PDF_BYTES + b"\x00" * 6000)
    response = client_for(responsible).post(url(finding), {"text": "已整改", "evidence": [big]})
    assert response.status_code == 400
    assert "too big together" in response.content.decode()
    assert not FindingResponse.objects.exists() and not Evidence.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


def test_the_upload_limit_still_checks_the_csrf_token(finding: Finding, responsible: Person) -> None:
    client = client_for(responsible)
    client.handler.enforce_csrf_checks = True
    assert client.post(url(finding), {"text": "已整改"}).status_code == 403
    assert not FindingResponse.objects.exists()


def test_an_invalid_answer_the_page_no_longer_offers_says_why_in_chinese(
    review: Review, responsible: Person, supervisor: Person
) -> None:
    answered = make_finding(review, responsible, state=FindingState.ANSWERED)
    not_theirs = make_finding(review, responsible)
    with in_chinese():
        again = client_for(responsible).post(url(answered), {"text": ""})
        other = client_for(supervisor).post(url(not_theirs), {"text": ""})
    for response in (again, other):
        assert response.status_code == 400
        assert "这个字段是必填项。" in refusal_text(response.content.decode())
    assert not FindingResponse.objects.exists()
