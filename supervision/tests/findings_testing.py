"""Builders for the finding tests: a committee member, a review, findings made with the models
(so tests of the pages do not depend on the services), answers, and the `media` and `sms`
fixtures (uploads to a temporary MEDIA_ROOT, SMS kept in memory)."""

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pytest_django.fixtures import Settings

from supervision.models import Finding, FindingResponse, FindingState, Review
from supervision.tests.reviews_testing import PDF_BYTES, committee, make_evidence, make_review
from villagegov import sms
from villagegov.models import Person, User, Village

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x01" * 40
HTML_BYTES = b"<html><script>alert(1)</script></html>"


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    """Uploads go to a temporary MEDIA_ROOT, never into the repository."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def sms_outbox(settings: Settings) -> Iterator[list[sms.SmsMessage]]:
    settings.VILLAGEGOV_SMS_BACKEND = "memory"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def supervisors(village: Village) -> list[Person]:
    """A seated committee of three with accounts, chair first."""
    return committee(village, 3)


@pytest.fixture
def supervisor(supervisors: list[Person]) -> Person:
    return supervisors[0]


@pytest.fixture
def supervisor_user(supervisor: Person) -> User:
    assert supervisor.user is not None
    return supervisor.user


@pytest.fixture
def review(village: Village, supervisor: Person) -> Review:
    return make_review(village, by=supervisor, title="审核2024年凭证")


def days_from_today(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def make_finding(
    review: Review,
    responsible: Person,
    *,
    deadline: date | None = None,
    state: FindingState = FindingState.OPEN,
    description: str = "报账凭证缺少经手人签字",
    by: User | None = None,
) -> Finding:
    return Finding.objects.create(
        review=review,
        description=description,
        required_action="补齐签字并重新报账",
        responsible=responsible,
        deadline=deadline or days_from_today(10),
        state=state,
        created_by=by or review.opened_by,
        created_at=timezone.now(),
    )


def make_answer(finding: Finding, *, text: str = "已补齐签字", with_file: bool = False) -> FindingResponse:
    """An answer by the responsible person, made with the models; the finding becomes answered."""
    response = FindingResponse.objects.create(
        finding=finding, text=text, responded_by=finding.responsible, responded_at=timezone.now()
    )
    if with_file:
        make_evidence(finding.review, response=response, name="签字凭证.pdf")
    finding.state = FindingState.ANSWERED
    finding.save(update_fields=["state"])
    return response


def pdf_upload(name: str = "整改照片.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")
