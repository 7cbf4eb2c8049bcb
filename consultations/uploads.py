"""Uploaded files checked by their content, not by their name: photos of the matters residents
raise, and later the supervision committee's evidence and the asset register's documents.

`validated_upload` reads a file once, refuses anything too big or of a type the caller does not
accept (judged by the file's first bytes: a page of HTML named `photo.jpg` is refused), and hands
back the bytes with their type, size, SHA-256 and the extension that belongs to the type. Files are
stored under a random name (`stored_name`) and served only through a view that checks permission.
"""

import hashlib
import logging
import secrets
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

logger = logging.getLogger("villagegov.uploads")

JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
PDF = "application/pdf"
PHOTO_TYPES = frozenset({JPEG, PNG, WEBP})

# The extension we give each type we recognise, and its name for messages.
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp", PDF: "pdf"}
TYPE_NAMES = {JPEG: "JPEG", PNG: "PNG", WEBP: "WebP", PDF: "PDF"}

MEGABYTE = 1024 * 1024
CHUNK = 64 * 1024


@dataclass(frozen=True)
class ValidatedUpload:
    content: bytes
    content_type: str
    size: int
    sha256: str
    extension: str


def sniff_content_type(head: bytes) -> str | None:
    """The type of a file from its first bytes (its "magic number"), or None if unrecognised."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def _megabytes(size: int) -> str:
    return f"{size / MEGABYTE:.0f}" if size % MEGABYTE == 0 else f"{size / MEGABYTE:.1f}"


def validated_upload(
    file: UploadedFile, *, allowed_types: Collection[str], max_bytes: int
) -> ValidatedUpload:
    """Read `file` (at most `max_bytes` + 1 bytes) and check it. Raises ValidationError, naming the
    file, when it is empty, too big, or not of one of `allowed_types` by its content."""
    name = file.name or _("the file")
    if file.size is not None and file.size > max_bytes:
        raise ValidationError(_too_big(name, max_bytes), code="too_big")
    digest = hashlib.sha256()
    parts: list[bytes] = []
    size = 0
    file.seek(0)
    for chunk in file.chunks(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise ValidationError(_too_big(name, max_bytes), code="too_big")
        digest.update(chunk)
        parts.append(chunk)
    content = b"".join(parts)
    if not content:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty")
    content_type = sniff_content_type(content[:16])
    if content_type is None or content_type not in allowed_types:
        accepted = ", ".join(sorted(TYPE_NAMES.get(t, t) for t in allowed_types))
        raise ValidationError(
            _("%(name)s is not a file of an accepted type (%(types)s).") % {"name": name, "types": accepted},
            code="type",
        )
    return ValidatedUpload(
        content=content,
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
        extension=EXTENSIONS[content_type],
    )


def _too_big(name: str, max_bytes: int) -> str:
    return _("%(name)s is too big: at most %(size)s MB.") % {"name": name, "size": _megabytes(max_bytes)}


def stored_name(upload: ValidatedUpload) -> str:
    """A random file name for `upload`, with its type's extension: nothing of the uploader's name
    (which could be a path, or a script's) reaches the disk."""
    return f"{secrets.token_hex(16)}.{upload.extension}"


def uploads_discard(names: Iterable[str], *, storage: Storage = default_storage) -> None:
    """Delete stored files whose database rows were not kept (a refused or rolled-back write), so
    no orphan stays on disk. A file that cannot be deleted is logged, never raised."""
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("An uploaded file could not be removed: %s", name)


def safe_filename(stem: str, extension: str) -> str:
    """A file name for Content-Disposition made only of ASCII letters, digits and dashes."""
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c == "-") else "-" for c in stem)[:60]
    cleaned = cleaned.strip("-") or "file"
    extension = "".join(c for c in extension if c.isascii() and c.isalnum())[:5] or "bin"
    return f"{cleaned}.{extension}"
