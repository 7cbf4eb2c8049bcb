"""Print the access matrix (who may use each page, socket and export), or write it into
docs/security.md between its markers."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from villagegov.access_matrix import SECURITY_DOC, render_matrix, with_matrix


class Command(BaseCommand):
    help = "Print the access matrix in Markdown; --write puts it into docs/security.md."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write", action="store_true", help="Replace the matrix in docs/security.md.")

    def handle(self, *args: Any, **options: Any) -> None:
        matrix = render_matrix()
        if not options["write"]:
            self.stdout.write(matrix, ending="")
            return
        SECURITY_DOC.write_text(
            with_matrix(SECURITY_DOC.read_text(encoding="utf-8"), matrix), encoding="utf-8"
        )
        self.stdout.write(self.style.SUCCESS(f"The access matrix in {SECURITY_DOC} is up to date."))
