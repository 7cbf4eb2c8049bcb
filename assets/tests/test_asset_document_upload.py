"""Documents of an asset: checked by content, photos without metadata, served only with permission."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assets.models import AssetDocument
from assets.tests.register_testing import make_asset, manager
from villagegov.models import Village
from villagegov.testing import client_for

pytestmark = pytest.mark.usefixtures("english")

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
EXIF = b"Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x00GPS-SECRET"
JPEG = (
    b"\xff\xd8"
    + b"\xff\xe1"
    + (len(EXIF) + 2).to_bytes(2, "big")
    + EXIF
    + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00"
    + b"\x12\x34\x56"
    + b"\xff\xd9"
)


def _upload(client: Client, village: Village, asset, name: str, content: bytes, title: str = "土地证"):
    url = reverse("asset_document_upload", args=[village.admin_code, asset.pk])
    return client.post(url, {"title": title, "document": SimpleUploadedFile(name, content)})


def test_a_pdf_is_attached_and_served_to_those_who_see_finances(
    village: Village, resident_client: Client, outsider_client: Client, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    asset = make_asset(village)
    client = client_for(manager(village))
    response = _upload(client, village, asset, "deed.pdf", PDF)
    assert response.status_code == 302
    document = AssetDocument.objects.get()
    assert document.title == "土地证" and document.content_type == "application/pdf"
    assert "deed" not in document.file.name
    url = reverse("asset_document_file", args=[village.admin_code, document.pk])
    served = client.get(url)
    assert served.status_code == 200 and b"".join(served.streaming_content) == PDF  # type: ignore[attr-defined]
    assert served["X-Content-Type-Options"] == "nosniff"
    assert resident_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_a_photo_loses_its_metadata(village: Village, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    _upload(client_for(manager(village)), village, make_asset(village), "photo.jpg", JPEG)
    document = AssetDocument.objects.get()
    stored = document.file.open("rb").read()
    assert b"GPS-SECRET" not in stored and stored.startswith(b"\xff\xd8")


def test_refused_uploads_change_nothing(
    village: Village, resident_client: Client, outsider_client: Client, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    asset = make_asset(village)
    client = client_for(manager(village))
    assert _upload(client, village, asset, "page.pdf", b"<html>hello</html>").status_code == 400
    assert _upload(client, village, asset, "empty.pdf", b"").status_code == 400
    assert _upload(resident_client, village, asset, "deed.pdf", PDF).status_code == 403
    assert _upload(outsider_client, village, asset, "deed.pdf", PDF).status_code == 404
    url = reverse("asset_document_upload", args=[village.admin_code, asset.pk])
    assert client.get(url).status_code == 405
    assert not AssetDocument.objects.exists()
    assert not list(tmp_path.rglob("*.pdf"))
