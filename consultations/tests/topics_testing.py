"""Builders for the topic tests: image bytes, uploads, topics raised through the service,
sessions ahead, supporters; and `media`, a fixture putting MEDIA_ROOT in a temporary directory."""

import itertools
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pytest_django.fixtures import Settings

from consultations.models import Session, SessionState, Topic
from consultations.services.topics import topic_create, topic_support
from consultations.uploads import PHOTO_TYPES, ValidatedUpload, validated_upload
from villagegov.models import Body, Council, Person, Village
from villagegov.testing import council_of, make_person

_codes = itertools.count(1)
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x01" * 40
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x02" * 40
WEBP_BYTES = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x03" * 40
GIF_BYTES = b"GIF89a" + b"\x04" * 40
HTML_BYTES = b"<html><script>alert(1)</script></html>"
PDF_BYTES = b"%PDF-1.7\n" + b"\x05" * 40


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    """Uploads go to a temporary MEDIA_ROOT, never into the repository."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def stored_files() -> list[Path]:
    """Every file under MEDIA_ROOT (the `media` fixture's temporary directory)."""
    root = Path(django_settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file())


def upload(
    name: str = "photo.png", content: bytes = PNG_BYTES, content_type: str = "image/png"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def photo(content: bytes = PNG_BYTES, name: str = "photo.png") -> ValidatedUpload:
    return validated_upload(upload(name, content), allowed_types=PHOTO_TYPES, max_bytes=5 * 1024 * 1024)


def council_for_topics(village: Village) -> Council:
    return council_of(village, Body.REPRESENTATIVES_MEETING)


def raise_topic(
    raiser: Person,
    *,
    council: Council | None = None,
    title: str = "村口路灯坏了",
    body: str = "村口的路灯坏了三个月，晚上老人出门看不见路。",
    photos: Sequence[ValidatedUpload] = (),
) -> Topic:
    assert raiser.user is not None
    return topic_create(
        actor=raiser.user,
        council=council or council_for_topics(raiser.village),
        title=title,
        body=body,
        photos=photos,
    )


def session_ahead(
    council: Council, *, days: int = 10, state: SessionState = SessionState.ANNOUNCED, title: str = "季度例会"
) -> Session:
    """A session of `council` meeting `days` from now (negative: in the past)."""
    chair = make_person(council.village, with_account=True)
    assert chair.user is not None
    now = timezone.now()
    started = state in (SessionState.OPEN, SessionState.CLOSED)
    return Session.objects.create(
        council=council,
        title=title,
        chair=chair,
        place="村委会议室",
        starts_at=now + timedelta(days=days),
        state=state,
        announced_at=None if state == SessionState.DRAFT else now - timedelta(days=1),
        opened_at=now if started else None,
        closed_at=now if state == SessionState.CLOSED else None,
        join_code=f"topic-{next(_codes):06d}",
        created_by=chair.user,
    )


def supporters(village: Village, n: int) -> list[Person]:
    return [make_person(village, with_account=True) for _ in range(n)]


def support(person: Person, topic: Topic) -> None:
    assert person.user is not None
    topic_support(actor=person.user, topic=topic)
