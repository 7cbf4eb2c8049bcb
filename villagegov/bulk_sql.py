"""Set-based SQL for the writes and reads that touch a thousand rows at once (a storm of live
votes: docs/performance.md).

Django's PostgreSQL backend binds parameters on the client: psycopg quotes each value into the
statement in Python, so an `INSERT … VALUES` or `IN (…)` of a thousand rows costs tens of
milliseconds of the database thread, holding the interpreter the event loop needs to answer the
voters. Here, on PostgreSQL, each column is one array parameter (`unnest`, `= ANY`), whatever
the number of rows; SQLite binds in C and keeps the plain VALUES and IN lists.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import ForeignKey, IntegerField, Lookup
from django.db.models.lookups import In
from django.db.models.sql.compiler import SQLCompiler

# Rows per statement where the rows are a VALUES list (SQLite caps a statement's parameters).
ROWS_PER_STATEMENT = 500

Column = tuple[str, str]  # a column's name and its PostgreSQL type


def _rows_table(columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> tuple[str, list[Any]]:
    """The rows as a derived table `batch` with these columns, and its parameters."""
    names = [name for name, _sql_type in columns]
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%s::{sql_type}[]" for _name, sql_type in columns)
        return f"unnest({arrays}) AS batch({', '.join(names)})", [
            list(values) for values in zip(*rows, strict=True)
        ]
    row = f"({', '.join(['%s'] * len(columns))})"
    selected = ", ".join(f"column{position} AS {name}" for position, name in enumerate(names, 1))
    return (
        f"(SELECT {selected} FROM (VALUES {', '.join([row] * len(rows))})) AS batch",
        [value for values in rows for value in values],
    )


def _chunks(rows: Sequence[Sequence[Any]]) -> Iterable[Sequence[Sequence[Any]]]:
    size = len(rows) if connection.vendor == "postgresql" else ROWS_PER_STATEMENT
    for start in range(0, len(rows), max(size, 1)):
        yield rows[start : start + size]


def rows_insert(
    *, table: str, fixed: dict[str, Any], columns: Sequence[Column], rows: Sequence[Sequence[Any]]
) -> None:
    """INSERT the rows into `table`: `fixed` gives the columns that are the same in every row,
    `columns` the others, in the order of each row's values. Values are as the database takes
    them (JSON as its text, UUIDs as the field's `get_db_prep_value` gives them)."""
    quote = connection.ops.quote_name
    targets = ", ".join(quote(name) for name in [*fixed, *(name for name, _sql_type in columns)])
    fixed_values = ", ".join(["%s"] * len(fixed))
    selected = ", ".join(f"batch.{name}" for name, _sql_type in columns)
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            source, params = _rows_table(columns, chunk)
            cursor.execute(
                f"INSERT INTO {quote(table)} ({targets}) "
                f"SELECT {fixed_values}{', ' if fixed else ''}{selected} FROM {source}",
                [*fixed.values(), *params],
            )


def rows_update(
    *, table: str, set_sql: str, key: Column, columns: Sequence[Column], rows: Sequence[Sequence[Any]]
) -> None:
    """UPDATE the rows of `table` whose primary key is each row's first value: `set_sql` is the
    SET clause, reading the other values as `batch.<name>` (e.g. "client_id = batch.client_id")."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            source, params = _rows_table([key, *columns], chunk)
            cursor.execute(
                f"UPDATE {quote(table)} SET {set_sql} FROM {source} WHERE {quote(table)}.id = batch.{key[0]}",
                params,
            )


@ForeignKey.register_lookup
@IntegerField.register_lookup
class AnyOf(Lookup):
    """`voter_id__any_of=ids`: the field is one of these ids — `= ANY(%s)` with one array
    parameter on PostgreSQL, the usual IN list elsewhere."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
        ids = [int(value) for value in self.rhs]
        if connection.vendor != "postgresql":
            sql, params = In(self.lhs, ids).as_sql(compiler, connection)
            return sql, list(params)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, ids]
