"""Builders for the topic tests: image bytes, uploads, topics raised through the service,
sessions ahead, supporters; and `media`, a fixture putting MEDIA_ROOT in a temporary directory."""

import itertools
import struct
import zlib
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


# ---- Photos built byte by byte: well-formed containers (what the metadata stripper parses),
# with or without the metadata a phone writes, GPS position included.


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(*extra: bytes) -> bytes:
    """A 1×1 grey PNG; `extra` chunks go after IHDR."""
    header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    pixels = png_chunk(b"IDAT", zlib.compress(b"\x00\x80"))
    return b"\x89PNG\r\n\x1a\n" + header + b"".join(extra) + pixels + png_chunk(b"IEND", b"")


def jpeg_segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


JFIF = jpeg_segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
JPEG_PICTURE = (
    jpeg_segment(0xDB, b"\x00" + bytes(range(1, 65)))  # a quantisation table
    + jpeg_segment(0xC0, b"\x08\x00\x01\x00\x01\x01\x01\x11\x00")  # 1×1, one component
    + jpeg_segment(0xC4, b"\x00" + b"\x01" + b"\x00" * 15 + b"\x00")  # a Huffman table
    + jpeg_segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")  # start of scan
    + b"\x12\x34\xff\x00\x56\xff\xd0\x78"  # scan data: a stuffed 0xFF and a restart marker
    + b"\xff\xd9"
)


def jpeg(*segments: bytes) -> bytes:
    """A JPEG (JFIF) with `segments` after APP0 and before the picture's data."""
    return b"\xff\xd8" + JFIF + b"".join(segments) + JPEG_PICTURE


GPS_LATITUDE = b"N\x00\x00\x00"  # the GPS IFD's latitude reference, a marker to look for
PLACE = b"22;32;10.5"  # a place written in the metadata, to look for


def exif_tiff(*, orientation: int = 6) -> bytes:
    """A big-endian TIFF block as a phone writes it: IFD0 with the orientation, the camera's
    make, and a GPS IFD with the latitude reference and a place."""
    ifd0_entries = 3
    ifd0_size = 2 + ifd0_entries * 12 + 4
    make_at = 8 + ifd0_size
    make = b"PhoneCam\x00"
    gps_at = make_at + len(make)
    gps = struct.pack(">H", 2)
    gps += struct.pack(">HHI", 0x0001, 2, 2) + GPS_LATITUDE  # GPSLatitudeRef "N"
    place_at = gps_at + 2 + 2 * 12 + 4
    gps += struct.pack(">HHII", 0x001B, 7, len(PLACE), place_at) + struct.pack(">I", 0)
    ifd0 = struct.pack(">H", ifd0_entries)
    ifd0 += struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)  # Orientation
    ifd0 += struct.pack(">HHII", 0x010F, 2, len(make), make_at)  # Make
    ifd0 += struct.pack(">HHII", 0x8825, 4, 1, gps_at)  # the GPS IFD
    ifd0 += struct.pack(">I", 0)
    return b"MM\x00\x2a" + struct.pack(">I", 8) + ifd0 + make + gps + PLACE


XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>' + PLACE + b"</exif:GPSLatitude></x:xmpmeta>"


def jpeg_with_gps(*, orientation: int = 6) -> bytes:
    return jpeg(
        jpeg_segment(0xE1, b"Exif\x00\x00" + exif_tiff(orientation=orientation)),
        jpeg_segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + XMP),
        jpeg_segment(0xED, b"Photoshop 3.0\x00" + PLACE),  # IPTC
        jpeg_segment(0xFE, b"taken at " + PLACE),  # a comment
        jpeg_segment(0xE2, b"ICC_PROFILE\x00\x01\x01" + b"\x00" * 16),
    )


def png_with_gps() -> bytes:
    return png(
        png_chunk(b"eXIf", exif_tiff()),
        png_chunk(b"tEXt", b"Comment\x00" + PLACE),
        png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + XMP),
        png_chunk(b"zTXt", b"Raw profile type exif\x00\x00" + zlib.compress(PLACE)),
    )


def riff_chunk(kind: bytes, data: bytes) -> bytes:
    return kind + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) % 2 else b"")


def webp(*chunks: bytes) -> bytes:
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


VP8 = riff_chunk(b"VP8 ", b"\x30\x01\x00\x9d\x01\x2a\x01\x00\x01\x00" + b"\x03" * 29)  # odd: padded
VP8X_FLAGS_ICC_EXIF_XMP = 0x20 | 0x08 | 0x04


def webp_with_gps() -> bytes:
    vp8x = riff_chunk(b"VP8X", bytes([VP8X_FLAGS_ICC_EXIF_XMP, 0, 0, 0]) + b"\x00\x00\x00" + b"\x00\x00\x00")
    return webp(
        vp8x,
        riff_chunk(b"ICCP", b"\x00" * 12),
        VP8,
        riff_chunk(b"EXIF", exif_tiff()),
        riff_chunk(b"XMP ", XMP),
    )


PNG_BYTES = png()
JPEG_BYTES = jpeg()
WEBP_BYTES = webp(VP8)
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
