"""Hostile files to every upload: a matter's photos (topic_create), a review's evidence
(evidence_upload), the evidence with an answer to a finding (finding_answer) and an asset's
documents (asset_document_upload).

Random bytes, empty files, files over the limit (the limits are lowered, so "over" is a few KB),
a PNG or JPEG header with garbage behind it, SVG and HTML with script, under names with "../",
NUL, 300 characters or a script's name. Each post is either refused, with the reason in Chinese,
leaving no row and no file behind, or taken (a file whose content is of an accepted type), stored
under a random name that keeps nothing of the uploader's. Never a 500.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

import assets.forms.register
import assets.services.register
import consultations.forms.topics
import consultations.services.topics
import consultations.views.topics
import supervision.forms.reviews
import supervision.services.reviews
import supervision.views.findings
from assets.models import AssetDocument
from consultations.models import Topic, TopicPhoto
from consultations.tests.topics_testing import jpeg, png
from consultations.uploads import PHOTO_TYPES, sniff_content_type
from supervision.models import Evidence, Finding, FindingState
from villagegov.testing import client_for

from .hostile_testing import (
    explained_in_chinese,
    files_under,
    hostile_settings,
    refusal_text,
    table_fingerprint,
)
from .test_permission_walker import World, world  # noqa: F401  (fixture)

FILE_LIMIT = 2048  # bytes a file may have here, instead of megabytes
REQUEST_LIMIT = 6 * 1024  # bytes a request's files may have together

SCRIPT = b"<script>alert(document.cookie)</script>"
contents = st.one_of(
    st.binary(min_size=1, max_size=3000),
    st.just(b""),
    st.integers(min_value=FILE_LIMIT + 1, max_value=3 * REQUEST_LIMIT).map(lambda size: png() + b"\0" * size),
    st.binary(max_size=500).map(lambda garbage: b"\x89PNG\r\n\x1a\n" + garbage),
    st.binary(max_size=500).map(lambda garbage: b"\xff\xd8\xff" + garbage),
    st.binary(max_size=500).map(lambda garbage: b"RIFF\x10\x00\x00\x00WEBP" + garbage),
    st.binary(max_size=500).map(lambda garbage: b"%PDF-" + garbage),
    st.just(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">' + SCRIPT + b"</svg>"),
    st.just(b"<!DOCTYPE html><html><body>" + SCRIPT + b"</body></html>"),
    st.just(b"GIF89a" + SCRIPT),
    # Proper files, so that what is taken is checked as well as what is refused.
    st.sampled_from([png(), jpeg(), b"%PDF-1.4\n%%EOF\n"]),
)
names = st.one_of(
    st.sampled_from(
        [
            "photo.jpg",
            "../../../etc/passwd",
            "..\\..\\windows\\win.ini",
            "a\x00b.png",
            "x" * 300 + ".pdf",
            "evil.svg",
            "page.html",
            "<img src=x onerror=alert(1)>.png",
            "照片.png",
            ".png",
            "..",
        ]
    ),
    st.text(min_size=1, max_size=40),
)
files = st.lists(st.tuples(names, contents), min_size=1, max_size=4)

STORED_NAME = re.compile(r"^[a-z]+/\d{4}/\d{2}/[0-9a-f]{32}\.(jpg|png|webp|pdf)$")


@pytest.fixture(autouse=True)
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    for module, name in (
        (consultations.forms.topics, "PHOTO_MAX_BYTES"),
        (consultations.services.topics, "PHOTO_MAX_BYTES"),
        (supervision.forms.reviews, "EVIDENCE_MAX_BYTES"),
        (supervision.services.reviews, "EVIDENCE_MAX_BYTES"),
        (assets.forms.register, "DOCUMENT_MAX_BYTES"),
        (assets.services.register, "DOCUMENT_MAX_BYTES"),
    ):
        monkeypatch.setattr(module, name, FILE_LIMIT)
    for module, name in (
        (consultations.views.topics, "TOPIC_UPLOAD_MAX_BYTES"),
        (supervision.services.reviews, "EVIDENCE_UPLOAD_MAX_BYTES"),
        (supervision.views.findings, "EVIDENCE_UPLOAD_MAX_BYTES"),
        (assets.services.register, "DOCUMENT_UPLOAD_MAX_BYTES"),
    ):
        monkeypatch.setattr(module, name, REQUEST_LIMIT)


@dataclass
class Upload:
    """An upload form: where it posts, who posts, its other fields, its file field, and the rows
    a taken file becomes."""

    url: str
    client: Client
    fields: dict[str, Any]
    file_field: str
    many: bool
    rows: Any  # the model whose rows hold the stored files


def upload_of(world: World, name: str) -> Upload:  # noqa: F811
    code = world.village.admin_code
    if name == "topic_create":
        topic = Topic.objects.get(pk=world.kwargs["topic_id"])
        fields = {"council": topic.council_id, "title": "村道坏了", "matter": "村口的路坑很多"}
        url = reverse("topic_create", kwargs={"village_code": code})
        return Upload(url, client_for(world.official), fields, "photos", True, TopicPhoto)
    if name == "evidence_upload":
        url = reverse(
            "evidence_upload", kwargs={"village_code": code, "review_id": world.kwargs["review_id"]}
        )
        return Upload(url, client_for(world.supervisor), {}, "evidence_files", True, Evidence)
    if name == "finding_answer":
        Finding.objects.filter(pk=world.kwargs["finding_id"]).update(responsible=world.resident)
        url = reverse(
            "finding_answer", kwargs={"village_code": code, "finding_id": world.kwargs["finding_id"]}
        )
        return Upload(url, client_for(world.resident), {"text": "已经整改"}, "evidence", True, Evidence)
    assert name == "asset_document_upload"
    url = reverse(
        "asset_document_upload", kwargs={"village_code": code, "asset_id": world.kwargs["asset_id"]}
    )
    return Upload(url, client_for(world.official), {"title": "资料"}, "document", False, AssetDocument)


UPLOADS = ["topic_create", "evidence_upload", "finding_answer", "asset_document_upload"]


BOUNDARY = "hostile-boundary-7f3a"


def multipart(fields: dict[str, Any], files: list[tuple[str, str, bytes]]) -> bytes:
    """A form's body as a browser writes it, with the file names exactly as given (the test
    client would keep only their last path component); a browser escapes only the quote and the
    line breaks of a name."""
    parts = []
    for key, value in fields.items():
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        )
    for key, file_name, content in files:
        escaped = file_name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{key}"; filename="{escaped}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        parts.append(head.encode("utf-8", "surrogatepass") + content + b"\r\n")
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def _stored_names(rows: Any) -> set[str]:
    field = "image" if rows is TopicPhoto else "file"
    return set(rows.objects.values_list(field, flat=True))


@pytest.mark.parametrize("name", UPLOADS)
def test_hostile_files_are_refused_in_chinese_or_stored_safely(world: World, name: str) -> None:  # noqa: F811
    upload = upload_of(world, name)
    media = Path(settings.MEDIA_ROOT)

    @hostile_settings()
    @given(chosen=files)
    def post(chosen: list[tuple[str, bytes]]) -> None:
        before_tables, before_files = table_fingerprint(), files_under(media)
        before_names = _stored_names(upload.rows)
        sent = chosen if upload.many else chosen[:1]
        body = multipart(
            upload.fields, [(upload.file_field, file_name, content) for file_name, content in sent]
        )
        response = upload.client.post(
            upload.url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
        )
        assert response.status_code < 500, (name, chosen, response.status_code)
        if response.status_code == 302:
            stored = _stored_names(upload.rows) - before_names
            # A part whose name is nothing once cleaned is no file to Django: an optional field
            # then takes the form without it. Whatever is stored has its row, and nothing else.
            assert len(files_under(media) - before_files) == len(stored)
            for stored_name in stored:
                assert STORED_NAME.match(stored_name), stored_name
                kind = sniff_content_type((media / stored_name).read_bytes()[:16])
                assert kind is not None and (name != "topic_create" or kind in PHOTO_TYPES)
            if name == "finding_answer":
                # Open again, so the next files meet the form (an answered finding shows none).
                Finding.objects.filter(pk=world.kwargs["finding_id"]).update(state=FindingState.OPEN)
            return
        assert response.status_code in (400, 404), (name, response.status_code)
        html = response.content.decode()
        assert explained_in_chinese(html), (name, chosen, refusal_text(html))
        assert table_fingerprint() == before_tables, (name, chosen)
        assert files_under(media) == before_files, (name, chosen)

    post()
