"""Shared by the hostile-input tests (issue 7): their hypothesis settings, a cheap fingerprint of
the whole database, and the check that a refusal is explained in the user's language."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

from django.apps import apps
from django.db import connection
from django.test import override_settings
from django.utils import translation
from hypothesis import settings
from hypothesis import strategies as st

# Registered in the root conftest.py: 200 examples per entry point on SQLite, fewer on PostgreSQL.
HOSTILE_INPUT = "hostile-input"


def hostile_settings() -> settings:
    return settings(settings.get_profile(HOSTILE_INPUT))


CJK = re.compile(r"[\u4e00-\u9fff]")

# Values a villager's phone, a script or a careless spreadsheet may send where a field is expected.
hostile_text = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1e309",
            "NaN",
            "Infinity",
            "2024-02-30",
            "9999-12-31",
            "0000-00-00",
            "<script>alert(1)</script>",
            '"><img src=x onerror=alert(1)>',
            "'; DROP TABLE villagegov_person; --",
            "\x00",
            "\u202e",
            "x" * 5000,
            "１２３",  # full-width digits
            "2147483648",
            "-2147483649",
            "on",
            "true",
        ]
    ),
)


def table_fingerprint() -> tuple[int, ...]:
    """How many rows every table of the project holds, in one query: a refused request must leave
    all of them as they were (the audit log's count among them, as every write is audited)."""
    tables = sorted(
        {model._meta.db_table for model in apps.get_models() if model._meta.managed and not model._meta.proxy}
    )
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    assert row is not None
    return tuple(int(count) for count in row)


def files_under(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()}


class _AlertText(HTMLParser):
    """The text inside the elements a page shows its refusals in: role="alert", Django's
    errorlist, the error badge and the error or warning message."""

    MARKERS = ("errorlist", "badge-bad", "message-error", "message-warning")
    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
    )

    def __init__(self) -> None:
        super().__init__()
        self.open: list[bool] = []
        self.inside = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        attributes = dict(attrs)
        classes = attributes.get("class") or ""
        marked = attributes.get("role") == "alert" or any(marker in classes for marker in self.MARKERS)
        self.open.append(marked)
        self.inside += marked

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID or not self.open:
            return
        self.inside -= self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.inside > 0:
            self.parts.append(data)


def refusal_text(html: str) -> str:
    """The text of a page's error messages (empty if it shows none)."""
    parser = _AlertText()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def explained_in_chinese(html: str) -> bool:
    return bool(CJK.search(refusal_text(html)))


@contextmanager
def in_chinese() -> Iterator[None]:
    """Requests in the default language, zh-Hans, also in a test module that reads the English
    wording (the `english` fixture)."""
    with override_settings(LANGUAGE_CODE="zh-hans"), translation.override("zh-hans"):
        yield
