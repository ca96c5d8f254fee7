"""Rows straight through the driver: COPY on PostgreSQL, executemany on SQLite.

The journal inserts are the hot path of bulk posting; the ORM-free path keeps the ledger's
overhead to its own logic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection

Row = tuple[Any, ...]


@contextmanager
def row_sink(
    conn: Connection, table: str, columns: tuple[str, ...]
) -> Iterator[Callable[[Row], None]]:
    """A function that takes rows for `table` as they are made.

    On PostgreSQL each row goes into an open COPY at once, so the server stores one row while
    the caller is still computing the next; on SQLite they are gathered and inserted with one
    `executemany` when the block ends.
    """
    names = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        driver = conn.connection.driver_connection
        assert driver is not None
        with driver.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            yield copy.write_row
        return
    rows: list[Row] = []
    yield rows.append
    if rows:
        marks = ", ".join("?" * len(columns))
        conn.exec_driver_sql(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def bulk_insert(conn: Connection, table: str, columns: tuple[str, ...], rows: list[Row]) -> None:
    """Insert `rows` into `table` through the driver in one go."""
    with row_sink(conn, table, columns) as put:
        for row in rows:
            put(row)
