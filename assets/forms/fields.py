"""Form fields the collective's forms share."""

from decimal import Decimal
from typing import Any

from django import forms

from assets.values import MAX_AMOUNT


def money_field(label: Any, *, required: bool = True, **kwargs: Any) -> forms.DecimalField:
    """An amount in yuan exact to the fen, not negative, within what the books take; a phone
    shows its number keyboard."""
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=MAX_AMOUNT,
        required=required,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
        **kwargs,
    )
