"""Tampering as the database's owner would: raw SQL, with the tables' guard triggers switched off
first (the owner can; the app's role cannot). The switch is made inside the test's transaction
and rolled back with it. Then `verify_audit_log` must name what changed."""

from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from villagegov.seals import FIELDS, KINDS, seals_backfill


def guards_off(*tables: str) -> None:
    """Switch off the triggers that refuse changes to these tables, until the test's end."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A table with deferred checks still pending in this transaction cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in tables:
                cursor.execute(f"ALTER TABLE {quote(table)} DISABLE TRIGGER USER")
        elif connection.vendor == "sqlite":
            # SQLite has no switch: drop them (DDL is transactional there, the rollback restores them).
            marks = ", ".join(["%s"] * len(tables))
            cursor.execute(
                f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})",
                list(tables),
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"DROP TRIGGER {quote(name)}")


def tamper(statement: str, params: list[Any], *tables: str) -> int:
    """Run one raw statement with the guards of `tables` off; how many rows it touched."""
    guards_off(*tables)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def swap(table: str, column: str, first: int | str, second: int | str, *, key: str = "id") -> None:
    """Exchange one column's values between two rows (the rows' contents trade places)."""
    guards_off(table)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(key)}, {quote(column)} FROM {quote(table)} WHERE {quote(key)} IN (%s, %s)",
            [first, second],
        )
        (one, one_value), (other, other_value) = cursor.fetchall()
        assert one_value != other_value, "swapping equal values changes nothing"
        for target, value in ((one, other_value), (other, one_value)):
            cursor.execute(
                f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE {quote(key)} = %s", [value, target]
            )


def seal_what_builders_made() -> None:
    """Test builders make some final rows straight in the database (a closed vote behind a
    committee's resolution, …): seal those as the migration seals rows older than the seals, so
    that only what the test does afterwards is checked."""
    seals_backfill(apps.get_model, [kind.label for kind in KINDS], FIELDS)


def verify() -> str:
    out = StringIO()
    call_command("verify_audit_log", stdout=out)
    return out.getvalue()


def verify_fails() -> str:
    """The command's error message (it must fail)."""
    with pytest.raises(CommandError) as failure:
        verify()
    return str(failure.value)
