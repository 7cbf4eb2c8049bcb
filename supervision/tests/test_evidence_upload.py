"""Evidence: PDF, JPEG, PNG or WebP by content, at most 10 MB each, several at once; stored under
a random name with its SHA-256 and the uploader's name cleaned for display. Anything else is
refused and nothing is stored. The page: POST ok, invalid → 400, wrong role → 403."""

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings

from consultations.uploads import validated_upload
from supervision.models import Evidence, Review, ReviewState
from supervision.services import reviews as review_services
from supervision.services.reviews import EVIDENCE_MAX_BYTES, EVIDENCE_TYPES, display_name, evidence_add
from supervision.tests.reviews_testing import PDF_BYTES, committee, make_review
from villagegov.models import AuditRecord, Person, User, Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 40
WEBP_BYTES = b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 40
HTML_BYTES = b"<html><script>alert(1)</script></html>"


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def user_of(person: Person) -> User:
    assert person.user is not None
    return person.user


def checked(content: bytes, name: str) -> tuple[object, str]:
    upload = validated_upload(
        SimpleUploadedFile(name, content), allowed_types=EVIDENCE_TYPES, max_bytes=EVIDENCE_MAX_BYTES
    )
    return upload, name


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


@pytest.mark.django_db
def test_stores_the_files_with_checksum_and_clean_name(village: Village, media: Path) -> None:
    member = committee(village, 3)[0]
    review = make_review(village)
    uploads = [checked(PDF_BYTES, "../../凭证\u202e.pdf"), checked(PNG_BYTES, "照片.png")]
    added = evidence_add(actor=user_of(member), review=review, uploads=uploads)  # type: ignore[arg-type]
    assert [e.content_type for e in added] == ["application/pdf", "image/png"]
    pdf = added[0]
    assert pdf.original_name == "凭证.pdf"
    assert pdf.sha256 == hashlib.sha256(PDF_BYTES).hexdigest() and pdf.size == len(PDF_BYTES)
    assert "凭证" not in pdf.file.name and pdf.file.name.endswith(".pdf")
    assert pdf.file.read() == PDF_BYTES
    assert AuditRecord.objects.filter(action="evidence.add").count() == 2


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("C:\\Users\\x\\账本.pdf", "账本.pdf"),
        ("a/b/c.png", "c.png"),
        ("\x00\x07bad.pdf", "bad.pdf"),
        ("", "file"),
        ("...", "file"),
        ("长" * 300 + ".pdf", ("长" * 199) + "…"),
    ],
)
def test_display_names_are_cleaned(name: str, shown: str) -> None:
    assert display_name(name) == shown


@pytest.mark.django_db
def test_only_members_in_office_attach_evidence(village: Village, actor: User, media: Path) -> None:
    committee(village, 3)
    review = make_review(village)
    with pytest.raises(ValidationError, match="Only members of the supervision committee"):
        evidence_add(actor=actor, review=review, uploads=[checked(PDF_BYTES, "a.pdf")])  # type: ignore[list-item]
    assert not Evidence.objects.exists() and stored_files(media) == []


def url(review: Review) -> str:
    return reverse("evidence_upload", args=[review.village.admin_code, review.pk])


@pytest.mark.django_db
def test_post_attaches_several_files(village: Village, media: Path) -> None:
    member = committee(village, 3)[0]
    review = make_review(village)
    files = [
        SimpleUploadedFile("a.pdf", PDF_BYTES),
        SimpleUploadedFile("b.jpg", JPEG_BYTES),
        SimpleUploadedFile("c.webp", WEBP_BYTES),
    ]
    response = client_for(member).post(url(review), {"evidence_files": files})
    assert response.status_code == 302
    assert sorted(Evidence.objects.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/jpeg",
        "image/webp",
    ]
    assert len(stored_files(media)) == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("page.pdf", HTML_BYTES)], "not a file of an accepted type"),
        ([("ok.pdf", PDF_BYTES), ("evil.png", HTML_BYTES)], "not a file of an accepted type"),
        ([("empty.pdf", b"")], "empty.pdf is empty"),
        ([("big.pdf", PDF_BYTES + b"\x00" * EVIDENCE_MAX_BYTES)], "too big"),
        ([], "Choose at least one file"),
        ([(f"{i}.pdf", PDF_BYTES) for i in range(11)], "At most 10 files"),
    ],
)
def test_bad_files_are_refused_with_400_and_nothing_is_stored(
    village: Village, media: Path, files: list[tuple[str, bytes]], message: str
) -> None:
    member = committee(village, 3)[0]
    review = make_review(village)
    uploads = [SimpleUploadedFile(name, content) for name, content in files]
    response = client_for(member).post(url(review), {"evidence_files": uploads})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(media) == []


@pytest.mark.django_db
def test_a_text_field_instead_of_a_file_is_a_400(village: Village, media: Path) -> None:
    member = committee(village, 3)[0]
    review = make_review(village)
    assert client_for(member).post(url(review), {"evidence_files": "not a file"}).status_code == 400


@pytest.mark.django_db
def test_access(
    village: Village,
    other_village: Village,
    media: Path,
    official_client: Client,
    resident_client: Client,
    outsider_client: Client,
) -> None:
    member = committee(village, 3)[0]
    review = make_review(village)
    for client in (official_client, resident_client):
        assert (
            client.post(url(review), {"evidence_files": [SimpleUploadedFile("a.pdf", PDF_BYTES)]}).status_code
            == 403
        )
    assert (
        outsider_client.post(
            url(review), {"evidence_files": [SimpleUploadedFile("a.pdf", PDF_BYTES)]}
        ).status_code
        == 404
    )
    assert client_for(member).get(url(review)).status_code == 405
    foreign = make_review(other_village)
    wrong = reverse("evidence_upload", args=[village.admin_code, foreign.pk])
    response = client_for(member).post(wrong, {"evidence_files": [SimpleUploadedFile("a.pdf", PDF_BYTES)]})
    assert response.status_code == 404
    assert not Evidence.objects.exists() and stored_files(media) == []


@pytest.mark.django_db
def test_a_concluded_review_takes_no_more_evidence(village: Village, media: Path) -> None:
    member = committee(village, 3)[0]
    review = make_review(village)
    Review.objects.filter(pk=review.pk).update(state=ReviewState.CONCLUDED, concluded_at=timezone.now())
    with pytest.raises(ValidationError, match="add a note, not more evidence"):
        evidence_add(actor=user_of(member), review=review, uploads=[checked(PDF_BYTES, "a.pdf")])  # type: ignore[list-item]
    response = client_for(member).post(
        url(review), {"evidence_files": [SimpleUploadedFile("a.pdf", PDF_BYTES)]}
    )
    assert response.status_code == 400 and "not more evidence" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(media) == []


@pytest.mark.django_db
def test_an_upload_past_the_total_limit_is_stopped_with_a_clear_message(
    village: Village, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(review_services, "EVIDENCE_UPLOAD_MAX_BYTES", 5000)
    member = committee(village, 3)[0]
    review = make_review(village)
    big = SimpleUploadedFile("big.pdf", PDF_BYTES + b"\x00" * 6000)
    response = client_for(member).post(url(review), {"evidence_files": [big]})
    assert response.status_code == 400
    assert "too big together" in response.content.decode()
    assert not Evidence.objects.exists() and stored_files(media) == []
    assert not AuditRecord.objects.filter(action="evidence.add").exists()


@pytest.mark.django_db
def test_the_upload_limit_still_checks_the_csrf_token(village: Village, media: Path) -> None:
    member = committee(village, 3)[0]
    review = make_review(village)
    client = client_for(member)
    client.handler.enforce_csrf_checks = True
    response = client.post(url(review), {"evidence_files": [SimpleUploadedFile("a.pdf", PDF_BYTES)]})
    assert response.status_code == 403 and not Evidence.objects.exists()
