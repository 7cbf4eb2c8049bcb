"""URL converters. `id` is a database id: at most 18 digits, so a URL with a number too large for
the database's integers is simply not found (404) instead of overflowing a query (500)."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
