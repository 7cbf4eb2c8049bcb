"""What the collective's services take from people, checked one way everywhere: amounts of money
exact to the fen, numbers typed as digits, days not in the future, and the refusal of a person
without the role. Every problem is a ValidationError in the reader's language, never a crash.
And the one way selectors add money up in the database (`money_sum`)."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from villagegov.formats import local_date, yuan
from villagegov.models import User, Village
from villagegov.permissions import Action, can

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
# The largest amount one line, rent or payment may hold (12 digits before the point fit every
# money column, whose sums have 14 or 16).
MAX_AMOUNT = Decimal("9999999999.99")
# Member numbers, years and the like typed in a search box or a spreadsheet cell.
MAX_DIGITS = 18


def refuse_unless(actor: User, action: Action, village: Village, message: str) -> None:
    """ValidationError(`message`) unless the permissions module lets `actor` do `action` here."""
    if not can(actor, action, village):
        raise ValidationError(message)


def digits(text: str) -> int | None:
    """`text` as a whole number if it is only ASCII digits (not "²" or "１", which `str.isdigit`
    accepts and `int` may not), short enough for the database; else None."""
    text = text.strip()
    if text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS:
        return int(text)
    return None


def amount(
    value: Any,
    *,
    field: str,
    allow_zero: bool = True,
    allow_negative: bool = False,
    maximum: Decimal = MAX_AMOUNT,
) -> Decimal:
    """`value` (a Decimal, a number or text such as "¥1,234.50") as an amount exact to the fen.
    `field` names it in the messages."""
    text = str(value).strip().replace(",", "").replace("¥", "").replace("￥", "") if value is not None else ""
    try:
        number = Decimal(text) if text else None
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        raise ValidationError(_("Give %(field)s as an amount in yuan, such as 1234.50.") % {"field": field})
    # Compared before any rounding: a huge exponent cannot be quantized.
    if abs(number) > maximum:
        raise ValidationError(
            _("%(field)s is larger than the books take (%(max)s).") % {"field": field, "max": yuan(maximum)}
        )
    if number != number.quantize(CENT):
        raise ValidationError(_("%(field)s has more than two decimal places (fen).") % {"field": field})
    if number < 0 and not allow_negative:
        raise ValidationError(_("%(field)s cannot be negative.") % {"field": field})
    if number == 0 and not allow_zero:
        raise ValidationError(_("%(field)s must be more than zero.") % {"field": field})
    return number.quantize(CENT)


def not_after_today(day: date, *, what: str) -> date:
    """`day` unless it is after today; `what` says whose day it is ("The valuation", …)."""
    today = timezone.localdate()
    if day > today:
        raise ValidationError(
            _("%(what)s cannot be dated after today (%(date)s).") % {"what": what, "date": local_date(today)}
        )
    return day


def money_sum(field: str, condition: Q | None = None) -> Coalesce:
    """The sum of a money column (of the rows matching `condition`), ¥0.00 when there are none,
    as a Decimal wide enough for any total the books hold."""
    return Coalesce(
        Sum(field, filter=condition), Value(ZERO), output_field=DecimalField(max_digits=18, decimal_places=2)
    )
