"""Check that no audit record was altered, removed or reordered since it was written, and that
every sealed row (closed votes with their ballots, posted vouchers with their lines, payments,
signatures) still matches its seal in the log.

Run it regularly (a nightly cron job or systemd timer): each run is kept, and the audit page
shows the latest one.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from villagegov.services.audit import audit_chain_verify, audit_verification_keep

SHOWN_ROWS = 20


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chain and the rows it seals; exit non-zero naming the first "
        "broken record or every changed row."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify()
        audit_verification_keep(report)
        if report.broken_rows:
            rows = "\n".join(f"  {problem}" for problem in report.broken_rows[:SHOWN_ROWS])
            more = len(report.broken_rows) - SHOWN_ROWS
            raise CommandError(
                f"{len(report.broken_rows)} sealed rows do not match the audit log "
                f"(its {report.checked} records are intact):\n{rows}"
                + (f"\n  … and {more} more" if more > 0 else "")
            )
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at record #{report.broken_seq}: {report.reason} "
                f"({report.checked} records before it are intact)."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.checked} records checked; the chain is intact and every sealed row matches it."
            )
        )
