"""List, or delete with --delete, uploaded files no database row points to.

A file is written before its row is committed; a crash between the two (or a rollback whose
clean-up failed) leaves it on disk with no row, unreachable and never served. This command finds
them under MEDIA_ROOT's `topics/` (TopicPhoto) and `supervision/` (the supervision committee's
Evidence) folders, leaving alone any file younger than an hour, which may belong to an upload
still under way. Run it now and then, e.g. weekly from cron, first without --delete.
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

# The folders swept, and the (app label, model, file field) whose rows own their files. The
# models are looked up by label, so that consultations does not import supervision.
OWNERS = {
    "topics": ("consultations", "TopicPhoto", "image"),
    "supervision": ("supervision", "Evidence", "file"),
}
MIN_AGE = timedelta(hours=1)


def orphan_files(root: Path, *, now: datetime | None = None) -> list[Path]:
    """Files under `root`'s swept folders that no row points to and that are older than MIN_AGE."""
    cutoff = (now or datetime.now(tz=UTC)) - MIN_AGE
    orphans: list[Path] = []
    for folder, (app_label, model_name, field) in OWNERS.items():
        directory = root / folder
        if not directory.is_dir():
            continue
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            model = None  # the app is not installed: none of its files is owned
        known = set(model.objects.values_list(field, flat=True)) if model is not None else set()
        for path in sorted(directory.rglob("*")):
            if not path.is_file() or path.is_symlink():
                continue
            name = path.relative_to(root).as_posix()
            modified = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
            if name not in known and modified < cutoff:
                orphans.append(path)
    return orphans


class Command(BaseCommand):
    help = (
        "List uploaded files (MEDIA_ROOT/topics/ and supervision/) that no row points to and that are "
        "older than an hour; with --delete, delete them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--delete", action="store_true", help="Delete the orphan files (default: list them)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(settings.MEDIA_ROOT)
        orphans = orphan_files(root)
        for path in orphans:
            self.stdout.write(path.relative_to(root).as_posix())
            if options["delete"]:
                path.unlink(missing_ok=True)
        verb = "Deleted" if options["delete"] else "Found"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(orphans)} orphan file(s)."))
