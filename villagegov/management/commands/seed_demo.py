import importlib
import time
import unicodedata
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from villagegov import sms
from villagegov.models import Village
from villagegov.services.demo import DEMO_HOUSEHOLDS, demo_village_build

SITE_URL = "http://127.0.0.1:8000/"


def build_app_demos(village: Village) -> None:
    """Let every installed app that has a `demo` module add its part (sessions, reviews, …):
    the core does not import the apps that build on it."""
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as missing:
            if missing.name != f"{config.name}.demo":
                raise
            continue
        module.demo_build(village=village)


def display_width(text: str) -> int:
    """Columns a terminal gives the text: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def table(rows: list[list[str]]) -> str:
    widths = [max(display_width(row[column]) for row in rows) for column in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell + " " * (width - display_width(cell)) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    )


class Command(BaseCommand):
    help = "Load the demo village (once; later runs only reset the demo passwords) and print its logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--households",
            type=int,
            default=DEMO_HOUSEHOLDS,
            help="Size of the village when it is first loaded (default %(default)s).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off (the demo accounts' passwords are public).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _("DEBUG is off: this looks like production, and the demo passwords are public. Use --force.")
            )
        started = time.monotonic()
        # The demo's meetings, reviews and vouchers notify hundreds of people: their text messages
        # go to the memory outbox, not the console, and each person finds them in the app.
        sent_before = len(sms.outbox)
        with override_settings(VILLAGEGOV_SMS_BACKEND="memory"):
            try:
                demo = demo_village_build(households=options["households"])
            except (ValidationError, ValueError) as error:
                message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                raise CommandError(message) from error
            village = demo.village
            build_app_demos(village)
        held = len(sms.outbox) - sent_before
        if demo.created:
            summary = _("Demo village %(village)s loaded in %(seconds).1f s.")
        else:
            summary = _("Demo village %(village)s already loaded; demo passwords reset (%(seconds).1f s).")
        self.stdout.write(summary % {"village": village.name, "seconds": time.monotonic() - started})
        if held:
            self.stdout.write(
                ngettext(
                    "%(count)s text message of the demo was held back; see Messages in the app.",
                    "%(count)s text messages of the demo were held back; see Messages in the app.",
                    held,
                )
                % {"count": held}
            )
        rows = [[_("Role"), _("Name"), _("Username"), _("Phone"), _("Password")]]
        rows += [
            [login.role, login.name, login.username, login.phone, login.password] for login in demo.logins
        ]
        self.stdout.write(table(rows))
        self.stdout.write(
            _("Log in at %(url)s with a username or a phone number. Village page: %(url)sv/%(code)s/")
            % {"url": SITE_URL, "code": village.admin_code}
        )
        self.stdout.write(
            _("For the admin site (%(url)sadmin/), run: python manage.py createsuperuser") % {"url": SITE_URL}
        )
