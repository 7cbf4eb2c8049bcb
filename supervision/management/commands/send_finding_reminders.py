"""Remind the people responsible for open findings (整改) whose deadline is near or past.

Run it once a day (a cron job or systemd timer, e.g. at 09:05): each open finding is reminded once
after it is recorded or reopened, so running it again sends nothing twice.
"""

from typing import Any

from django.core.management.base import BaseCommand

from supervision.services.findings import finding_reminders_send, reminder_days


class Command(BaseCommand):
    help = (
        "Remind the person responsible for each open finding whose deadline is within "
        "VILLAGEGOV_FINDING_REMINDER_DAYS days (or past), once per finding."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = finding_reminders_send()
        self.stdout.write(
            self.style.SUCCESS(
                f"Reminders sent for {reminded} finding(s) due within {reminder_days()} day(s) or overdue."
            )
        )
