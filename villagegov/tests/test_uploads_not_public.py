"""Uploaded files are not reachable by their storage path: only the views that check who may read
them serve them (through consultations.uploads.stored_file_response), and the settings refuse a
MEDIA_ROOT inside the static files, which anyone may fetch."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import Client

from villagegov.testing import client_for
from villagegov.tests import test_permission_walker as walker
from villagegov.tests.test_permission_walker import APP_URLS, World, url_of

world = walker.world  # the walker's village, as a fixture of this module

BASE_DIR = Path(__file__).resolve().parents[2]
# What the walker's village stored, by the name of the view that serves each.
STORED = {
    "topic_photo": "topics/secret.png",
    "evidence_file": "supervision/secret.pdf",
    "asset_document_file": "assets/secret.pdf",
}


def test_stored_files_are_not_served_by_their_path(world: World) -> None:
    for name in STORED.values():
        assert (Path(settings.MEDIA_ROOT) / name).is_file()
        for client in (Client(), client_for(world.official)):
            for url in (f"/media/{name}", f"/{name}", f"/{settings.STATIC_URL}{name}"):
                assert client.get(url).status_code == 404, url


def test_stored_files_are_served_by_the_views_that_check_permissions(world: World) -> None:
    pages = {page.name: page for page in APP_URLS}
    for view, name in STORED.items():
        url = url_of(pages[view], world)
        response = client_for(world.official).get(url)
        assert response.status_code == 200, url
        assert response.getvalue() == (Path(settings.MEDIA_ROOT) / name).read_bytes()
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
        assert Client().get(url).status_code == 302  # to the login page
        assert client_for(world.outsider).get(url).status_code == 404


def test_uploads_are_outside_the_static_files() -> None:
    media = Path(settings.MEDIA_ROOT).resolve()
    for static in (settings.STATIC_ROOT, *settings.STATICFILES_DIRS):
        assert not media.is_relative_to(Path(static).resolve())


def test_a_media_root_inside_the_static_files_is_refused() -> None:
    environment = os.environ | {"MEDIA_ROOT": str(BASE_DIR / "staticfiles" / "uploads")}
    result = subprocess.run(
        [sys.executable, "-c", "import villagegov.settings"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: MEDIA_ROOT" in result.stderr and "served to anyone" in result.stderr
