"""`{% load money %}{{ amount|yuan }}`: money as ¥1,234.50 (villagegov.formats.yuan)."""

from decimal import Decimal

from django import template

from villagegov import formats

register = template.Library()


@register.filter
def yuan(amount: Decimal | int | None) -> str:
    return formats.yuan(amount)
