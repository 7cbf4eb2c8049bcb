"""Values put into sentences, formatted for the reader's language."""

from datetime import date
from decimal import Decimal

from django.utils.formats import date_format


def local_date(day: date | None) -> str:
    """A date as the active language writes it (2024年1月1日; Jan. 1, 2024), for messages."""
    return date_format(day, "DATE_FORMAT") if day is not None else "—"


def yuan(amount: Decimal | int | None) -> str:
    """Money exact to the fen with the yuan sign and thousands separators (¥1,234.50; -¥3.00),
    the same in Chinese and English."""
    if amount is None:
        return "—"
    value = Decimal(amount).quantize(Decimal("0.01"))
    sign = "-" if value < 0 else ""
    return f"{sign}¥{abs(value):,.2f}"
