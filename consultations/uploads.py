"""Uploaded files checked by their content, not by their name: photos of the matters residents
raise, and later the supervision committee's evidence and the asset register's documents.

`validated_upload` reads a file once, refuses anything too big or of a type the caller does not
accept (judged by the file's first bytes: a page of HTML named `photo.jpg` is refused), and hands
back the bytes with their type, size, SHA-256 and the extension that belongs to the type. Files are
stored under a random name (`stored_name`) and served only through a view that checks permission.

With `strip_metadata=True` a photo loses what its camera wrote about it before it is stored: EXIF
(with the GPS position of the house it was taken at), XMP, IPTC, comments (`photo_without_metadata`,
pure Python: the picture's own data is copied untouched). `UploadLimitHandler` stops a request's
upload as soon as its files pass a total, before Django has written the whole body to disk.
"""

import hashlib
import logging
import secrets
import struct
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage, default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

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
    file: UploadedFile, *, allowed_types: Collection[str], max_bytes: int, strip_metadata: bool = False
) -> ValidatedUpload:
    """Read `file` (at most `max_bytes` + 1 bytes) and check it. Raises ValidationError, naming the
    file, when it is empty, too big, or not of one of `allowed_types` by its content. With
    `strip_metadata`, a photo's metadata is removed (a photo too damaged to be read is refused)
    and its size and SHA-256 are those of the bytes that will be stored."""
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
    sha256 = digest.hexdigest()
    if strip_metadata and content_type in PHOTO_TYPES:
        try:
            content = photo_without_metadata(content, content_type)
        except DamagedPhoto:
            raise ValidationError(
                _("%(name)s could not be read as a picture: it may be damaged.") % {"name": name},
                code="damaged",
            ) from None
        size = len(content)
        sha256 = hashlib.sha256(content).hexdigest()
    return ValidatedUpload(
        content=content,
        content_type=content_type,
        size=size,
        sha256=sha256,
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


# ---------------------------------------------------------------------------------------------
# A limit on a whole request's upload.


class UploadLimitHandler(FileUploadHandler):
    """Stops a multipart upload once its files pass `max_bytes` together (or at once, when the
    request says it is bigger than that plus `margin` for its other fields), before the rest is
    written to disk: the handlers after it never receive the bytes past the limit. The rest of
    the request is read and thrown away, so the view can still answer with a page (`stopped`).

    Install it first, before anything reads request.POST or FILES (`limit_upload`)."""

    def __init__(self, max_bytes: int, *, margin: int = MEGABYTE, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.margin = margin
        self.received = 0
        self.declared_too_big = False
        self.stopped = False

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        self.declared_too_big = content_length > self.max_bytes + self.margin

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.declared_too_big:
            self._stop()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self._stop()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the handlers after this one make the file

    def _stop(self) -> None:
        self.stopped = True
        raise StopUpload(connection_reset=False)


def limit_upload(request: HttpRequest, max_bytes: int) -> UploadLimitHandler:
    """Put an UploadLimitHandler first on `request` (whose POST and FILES no one has read yet: the
    view must be csrf_exempt, with csrf_protect inside it, as Django documents)."""
    handlers = request.upload_handlers
    if not isinstance(handlers, list):
        raise RuntimeError("The request's upload was already read: install the limit before reading it.")
    handler = UploadLimitHandler(max_bytes, request=request)
    handlers.insert(0, handler)
    return handler


def stored_file_response(
    file: FieldFile, *, content_type: str, allowed_types: Collection[str], name: str
) -> HttpResponse:
    """An uploaded file, served by a view that checked who may read it: under the type recorded
    at upload if it is one of `allowed_types` (else as bytes), never sniffed, sandboxed, a PDF as a
    download (browsers refuse to show a PDF inside a sandboxed page), a picture shown; 404 if the
    file is gone from the storage. `name` is the download's name without its extension."""
    try:
        opened = file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        logger.error("The stored file %s is missing", file.name)
        raise Http404 from None
    served = content_type if content_type in allowed_types else "application/octet-stream"
    extension = file.name.rsplit(".", 1)[-1] if file.name and "." in file.name else "bin"
    response = FileResponse(
        opened, content_type=served, as_attachment=served == PDF, filename=safe_filename(name, extension)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    # A streaming response; the views' signatures name the common case.
    return cast(HttpResponse, response)


def upload_limited(
    max_bytes: Callable[[], int],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view that takes files, at most `max_bytes()` in a request (asked at each request,
    so that a test can lower it): the limit is installed before anything reads the body,
    CSRF's check included, so the view is exempt from the middleware's check and makes it itself
    once the limit is in place (Django's documented order for changing upload handlers). The
    view then asks `upload_stopped(request)` before it uses POST or FILES."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        protected = csrf_protect(view)

        @csrf_exempt
        @wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            limit_upload(request, max_bytes())
            return protected(request, *args, **kwargs)

        return limited

    return decorator


def upload_stopped(request: HttpRequest) -> bool:
    """Whether an UploadLimitHandler stopped the request's upload (its POST and FILES are then
    incomplete, and must not be used). Reads the body if nothing has yet (CSRF's check may not
    have: the test client's, or a request without a cookie, skip it)."""
    if request.method == "POST":
        request.FILES  # noqa: B018  (parsing runs the handlers)
    return any(isinstance(h, UploadLimitHandler) and h.stopped for h in request.upload_handlers)


def upload_limit_message(max_bytes: int) -> str:
    return _("The photos are too big together: at most %(size)s MB in all. Send fewer or smaller photos.") % {
        "size": _megabytes(max_bytes)
    }


# ---------------------------------------------------------------------------------------------
# Photos without their metadata. Only the containers are parsed; the picture's data is copied
# byte for byte. A structure that does not add up is refused: it could hide what we remove.


class DamagedPhoto(ValueError):
    """The photo's structure could not be followed."""


def photo_without_metadata(content: bytes, content_type: str) -> bytes:
    """`content` (a JPEG, PNG or WebP photo) without EXIF (GPS position included), XMP, IPTC and
    text. A JPEG keeps only its orientation from EXIF, so that phone photos stand upright."""
    if content_type == JPEG:
        return _jpeg_without_metadata(content)
    if content_type == PNG:
        return _png_without_metadata(content)
    if content_type == WEBP:
        return _webp_without_metadata(content)
    raise ValueError(f"not a photo type: {content_type}")


# JPEG segments kept besides the picture's own (DQT, SOFn, DHT, DRI, SOS, …): APP0 (JFIF/JFXX),
# APP2 only for an ICC colour profile, APP14 only for Adobe's colour transform (without it some
# pictures show in wrong colours). Dropped: APP1 (EXIF, XMP), APP13 (IPTC/Photoshop), every other
# APPn, and comments (COM).
_SOI, _EOI, _SOS, _COM, _APP0, _APP1, _APP2, _APP14, _APP15 = (
    0xD8,
    0xD9,
    0xDA,
    0xFE,
    0xE0,
    0xE1,
    0xE2,
    0xEE,
    0xEF,
)
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM, RST0-7: no length
_ORIENTATION_TAG = 0x0112


def _keep_jpeg_segment(marker: int, payload: bytes) -> bool:
    if marker == _COM:
        return False
    if not _APP0 <= marker <= _APP15:
        return True
    if marker == _APP0:
        return True
    if marker == _APP2:
        return payload.startswith(b"ICC_PROFILE\x00")
    if marker == _APP14:
        return payload.startswith(b"Adobe")
    return False


def _exif_orientation(payload: bytes) -> int | None:
    """The orientation (1-8) an APP1 EXIF segment's first IFD gives, if any."""
    if not payload.startswith(b"Exif\x00\x00"):
        return None
    tiff = payload[6:]
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        return None
    order = "<" if tiff[:2] == b"II" else ">"
    (offset,) = struct.unpack_from(order + "I", tiff, 4)
    if offset + 2 > len(tiff):
        return None
    (entries,) = struct.unpack_from(order + "H", tiff, offset)
    for index in range(entries):
        at = offset + 2 + index * 12
        if at + 12 > len(tiff):
            return None
        tag, kind, count = struct.unpack_from(order + "HHI", tiff, at)
        if tag == _ORIENTATION_TAG and kind == 3 and count == 1:
            (value,) = struct.unpack_from(order + "H", tiff, at + 8)
            return value if 1 <= value <= 8 else None
    return None


def _orientation_segment(orientation: int) -> bytes:
    """A new APP1 EXIF segment holding the orientation and nothing else."""
    tiff = b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1)
    tiff += struct.pack(">HHIHH", _ORIENTATION_TAG, 3, 1, orientation, 0) + struct.pack(">I", 0)
    payload = b"Exif\x00\x00" + tiff
    return bytes([0xFF, _APP1]) + struct.pack(">H", len(payload) + 2) + payload


def _jpeg_without_metadata(data: bytes) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        raise DamagedPhoto("no start of image")
    out = [data[:2]]
    orientation: int | None = None
    orientation_at: int | None = None  # where the orientation segment goes: after APP0, or first
    position, end = 2, len(data)
    while position < end:
        if data[position] != 0xFF:
            raise DamagedPhoto("a segment does not start with a marker")
        while position < end and data[position] == 0xFF:  # fill bytes
            position += 1
        if position >= end:
            raise DamagedPhoto("truncated marker")
        marker = data[position]
        position += 1
        if marker == _EOI:
            out.append(b"\xff\xd9")
            break  # anything after the end of the image is dropped
        if marker in _STANDALONE or marker == _SOI:
            out.append(bytes([0xFF, marker]))
            continue
        if position + 2 > end:
            raise DamagedPhoto("truncated segment length")
        (length,) = struct.unpack_from(">H", data, position)
        if length < 2 or position + length > end:
            raise DamagedPhoto("a segment runs past the end")
        payload = data[position + 2 : position + length]
        segment = bytes([0xFF, marker]) + data[position : position + length]
        position += length
        if marker == _APP1 and orientation is None:
            try:
                orientation = _exif_orientation(payload)
            except struct.error:
                orientation = None  # an EXIF block that does not add up: it goes, with nothing kept
        if _keep_jpeg_segment(marker, payload):
            out.append(segment)
            if marker == _APP0 and orientation_at is None:
                orientation_at = len(out)
        if marker == _SOS:
            # Entropy-coded data: up to the next marker that is not a stuffed 0xFF00 or a restart.
            scan_start = position
            while True:
                found = data.find(b"\xff", position)
                if found == -1 or found + 1 >= end:
                    position = end  # no end-of-image marker: keep the picture's data as it is
                    break
                following = data[found + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    position = found + 1 if following == 0xFF else found + 2
                    continue
                position = found
                break
            out.append(data[scan_start:position])
    if orientation is not None and orientation != 1:
        out.insert(orientation_at if orientation_at is not None else 1, _orientation_segment(orientation))
    return b"".join(out)


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_DROPPED = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"}


def _png_without_metadata(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise DamagedPhoto("no PNG signature")
    out = [_PNG_SIGNATURE]
    position, end = len(_PNG_SIGNATURE), len(data)
    while True:
        if position + 12 > end:
            raise DamagedPhoto("truncated chunk")
        length, kind = struct.unpack_from(">I4s", data, position)
        chunk_end = position + 12 + length
        if chunk_end > end:
            raise DamagedPhoto("a chunk runs past the end")
        if kind not in _PNG_DROPPED:
            out.append(data[position:chunk_end])
        position = chunk_end
        if kind == b"IEND":
            return b"".join(out)  # anything after the end is dropped


_WEBP_DROPPED = {b"EXIF", b"XMP "}
_VP8X_EXIF = 0x08
_VP8X_XMP = 0x04


def _webp_without_metadata(data: bytes) -> bytes:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise DamagedPhoto("not a WebP file")
    (riff_size,) = struct.unpack_from("<I", data, 4)
    end = 8 + riff_size
    if end > len(data) or riff_size < 4:
        raise DamagedPhoto("the file is shorter than it says")
    chunks: list[bytes] = []
    position = 12
    while position < end:
        if position + 8 > end:
            raise DamagedPhoto("truncated chunk")
        kind, length = struct.unpack_from("<4sI", data, position)
        chunk_end = position + 8 + length + (length & 1)  # chunks are padded to an even size
        if chunk_end > end:
            raise DamagedPhoto("a chunk runs past the end")
        chunk = data[position:chunk_end]
        position = chunk_end
        if kind in _WEBP_DROPPED:
            continue
        if kind == b"VP8X" and length >= 1:
            flags = chunk[8] & ~(_VP8X_EXIF | _VP8X_XMP)
            chunk = chunk[:8] + bytes([flags]) + chunk[9:]
        chunks.append(chunk)
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body  # anything after the RIFF is dropped
