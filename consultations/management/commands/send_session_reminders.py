"""Remind everyone entitled of the sessions meeting tomorrow.

Run it once a day (a cron job or systemd timer, e.g. at 09:00): each announced session starting
tomorrow (Asia/Shanghai) is reminded once, so running it again sends nothing twice.
"""

from typing import Any

from django.core.management.base import BaseCommand

from consultations.services.sessions import session_reminders_send


class Command(BaseCommand):
    help = "Notify the members of each announced session that meets tomorrow, once per session."

    def handle(self, *args: Any, **options: Any) -> None:
        reminded = session_reminders_send()
        self.stdout.write(self.style.SUCCESS(f"Reminders sent for {reminded} session(s) meeting tomorrow."))
