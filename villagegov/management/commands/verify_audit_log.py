"""Check that no audit record was altered, removed or reordered since it was written."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from villagegov.services.audit import audit_chain_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exit non-zero naming the first broken record."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at record #{report.broken_seq}: {report.reason} "
                f"({report.checked} records before it are intact)."
            )
        self.stdout.write(self.style.SUCCESS(f"{report.checked} records checked; the audit chain is intact."))
