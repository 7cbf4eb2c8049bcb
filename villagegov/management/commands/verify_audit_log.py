"""Check that no audit record was altered, removed or reordered since it was written.

Run it regularly (a nightly cron job or systemd timer): each run is kept, and the audit page
shows the latest one.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from villagegov.services.audit import audit_chain_check


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit non-zero naming the first broken record."

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_chain_check()
        if not result.ok:
            raise CommandError(
                f"Audit chain broken at record #{result.broken_seq}: {result.reason} "
                f"({result.checked} records before it are intact)."
            )
        self.stdout.write(self.style.SUCCESS(f"{result.checked} records checked; the audit chain is intact."))
