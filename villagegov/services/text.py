"""Cleaning the free text a service is given: one rule for every form of every app."""

from django.core.exceptions import ValidationError


def clean_text(value: str | None, *, max_length: int, empty: str | None, too_long: str) -> str:
    """`value` stripped, with Windows line ends made plain. Refused with `empty` when nothing is
    left (unless `empty` is None: the text is optional) and with `too_long` past `max_length`
    characters; `too_long` may name the limit as %(max)d."""
    text = (value or "").replace("\r\n", "\n").strip()
    if not text and empty is not None:
        raise ValidationError(empty)
    if len(text) > max_length:
        raise ValidationError(too_long % {"max": max_length})
    return text
