"""Uploads are judged by their content: type by magic bytes, size, SHA-256; the stored name is
random; a refused or rolled-back upload leaves no file behind."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from consultations.uploads import (
    PDF,
    PHOTO_TYPES,
    safe_filename,
    sniff_content_type,
    stored_name,
    uploads_discard,
    validated_upload,
)

from .topics_testing import (
    GIF_BYTES,
    HTML_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    WEBP_BYTES,
    media,  # noqa: F401  (fixture)
    stored_files,
    upload,
)

pytestmark = pytest.mark.usefixtures("english", "media")
MB = 1024 * 1024


@pytest.mark.parametrize(
    ("content", "content_type", "extension"),
    [(JPEG_BYTES, "image/jpeg", "jpg"), (PNG_BYTES, "image/png", "png"), (WEBP_BYTES, "image/webp", "webp")],
)
def test_photos_are_recognised_by_their_content(content: bytes, content_type: str, extension: str) -> None:
    checked = validated_upload(upload("x.bin", content), allowed_types=PHOTO_TYPES, max_bytes=MB)
    assert checked.content_type == content_type
    assert checked.extension == extension
    assert checked.size == len(content)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.content == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.png", HTML_BYTES),
        ("anim.gif", GIF_BYTES),
        ("scan.jpg", PDF_BYTES),
        ("photo.webp", b"RIFF1234WAVE"),
    ],
)
def test_a_file_whose_content_is_not_an_accepted_type_is_refused_whatever_its_name(
    name: str, content: bytes
) -> None:
    with pytest.raises(ValidationError, match="not a file of an accepted type"):
        validated_upload(upload(name, content), allowed_types=PHOTO_TYPES, max_bytes=MB)


def test_a_fake_extension_does_not_decide_the_type() -> None:
    checked = validated_upload(
        upload("photo.jpg", PNG_BYTES, "image/jpeg"), allowed_types=PHOTO_TYPES, max_bytes=MB
    )
    assert checked.content_type == "image/png" and checked.extension == "png"


def test_other_types_are_accepted_when_the_caller_allows_them() -> None:
    checked = validated_upload(upload("evidence.pdf", PDF_BYTES), allowed_types={PDF}, max_bytes=MB)
    assert checked.content_type == PDF and checked.extension == "pdf"


def test_a_file_over_the_limit_is_refused() -> None:
    big = PNG_BYTES + b"\x00" * (MB - len(PNG_BYTES) + 1)
    with pytest.raises(ValidationError, match="too big: at most 1 MB"):
        validated_upload(upload("big.png", big), allowed_types=PHOTO_TYPES, max_bytes=MB)


def test_a_file_exactly_at_the_limit_is_accepted() -> None:
    exact = PNG_BYTES + b"\x00" * (MB - len(PNG_BYTES))
    assert validated_upload(upload("ok.png", exact), allowed_types=PHOTO_TYPES, max_bytes=MB).size == MB


def test_a_file_larger_than_it_claims_is_still_refused() -> None:
    file = SimpleUploadedFile("liar.png", PNG_BYTES + b"\x00" * 2000, content_type="image/png")
    file.size = 10  # what a client claimed
    with pytest.raises(ValidationError, match="too big"):
        validated_upload(file, allowed_types=PHOTO_TYPES, max_bytes=1000)


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ValidationError, match="is empty"):
        validated_upload(upload("empty.png", b""), allowed_types=PHOTO_TYPES, max_bytes=MB)


def test_sniffing_a_short_or_unknown_head_gives_none() -> None:
    assert sniff_content_type(b"") is None
    assert sniff_content_type(b"RIFF") is None
    assert sniff_content_type(b"\xff\xd8") is None


def test_stored_names_are_random_and_keep_nothing_of_the_uploaders_name() -> None:
    checked = validated_upload(
        upload("../../etc/passwd.png", PNG_BYTES), allowed_types=PHOTO_TYPES, max_bytes=MB
    )
    first, second = stored_name(checked), stored_name(checked)
    assert first != second
    assert first.endswith(".png") and "/" not in first and "passwd" not in first


def test_safe_filenames_are_plain_ascii() -> None:
    assert safe_filename('topic-1"; evil=1', "png") == "topic-1---evil-1.png"
    assert safe_filename("照片", "j/p g") == "file.jpg"


def test_discarding_removes_the_files() -> None:
    name = default_storage.save("topics/test/a.png", ContentFile(PNG_BYTES))
    assert stored_files()
    uploads_discard([name, "topics/none/missing.png"])
    assert stored_files() == []
