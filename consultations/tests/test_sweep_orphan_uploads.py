"""sweep_orphan_uploads: lists (or with --delete deletes) the files under MEDIA_ROOT's topics/
and supervision/ folders that no row points to, leaving alone files younger than an hour."""

import os
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from consultations.models import TopicPhoto
from villagegov.models import Person

from .topics_testing import PNG_BYTES, media, photo, raise_topic  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("media")
TWO_HOURS = 2 * 3600


def old_file(root: Path, name: str, *, age: int = TWO_HOURS) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PNG_BYTES)
    then = time.time() - age
    os.utime(path, (then, then))
    return path


def sweep(*args: str) -> list[str]:
    out = StringIO()
    call_command("sweep_orphan_uploads", *args, stdout=out)
    return out.getvalue().splitlines()


def test_lists_old_orphans_and_keeps_owned_young_and_other_files(resident: Person) -> None:
    root = Path(settings.MEDIA_ROOT)
    topic = raise_topic(resident, photos=[photo()])
    owned = root / TopicPhoto.objects.get(topic=topic).image.name
    os.utime(owned, (time.time() - TWO_HOURS, time.time() - TWO_HOURS))
    orphan_photo = old_file(root, "topics/2024/01/lost.png")
    orphan_evidence = old_file(root, "supervision/2024/01/lost.pdf")
    young = old_file(root, "topics/2024/01/uploading.png", age=60)
    elsewhere = old_file(root, "other/keep.png")
    lines = sweep()
    assert lines[:-1] == ["topics/2024/01/lost.png", "supervision/2024/01/lost.pdf"]
    assert lines[-1] == "Found 2 orphan file(s)."
    assert all(path.exists() for path in (owned, orphan_photo, orphan_evidence, young, elsewhere))


def test_delete_removes_only_the_orphans(resident: Person) -> None:
    root = Path(settings.MEDIA_ROOT)
    topic = raise_topic(resident, photos=[photo()])
    owned = root / TopicPhoto.objects.get(topic=topic).image.name
    os.utime(owned, (time.time() - TWO_HOURS, time.time() - TWO_HOURS))
    orphan = old_file(root, "topics/2024/01/lost.png")
    young = old_file(root, "supervision/new.pdf", age=10)
    assert sweep("--delete")[-1] == "Deleted 1 orphan file(s)."
    assert not orphan.exists() and owned.exists() and young.exists()
    assert sweep()[-1] == "Found 0 orphan file(s)."


def test_an_empty_media_root_finds_nothing() -> None:
    assert sweep() == ["Found 0 orphan file(s)."]
