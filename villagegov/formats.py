"""Values put into sentences, formatted for the reader's language."""

from datetime import date

from django.utils.formats import date_format


def local_date(day: date | None) -> str:
    """A date as the active language writes it (2024年1月1日; Jan. 1, 2024), for messages."""
    return date_format(day, "DATE_FORMAT") if day is not None else "—"
