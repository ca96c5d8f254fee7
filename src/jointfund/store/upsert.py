"""Add-to-total upserts both SQLite and PostgreSQL run natively, through the driver."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

# Above this many rows PostgreSQL gets them by COPY into a temporary table and one set-based
# upsert: far cheaper than a statement per row when a batch touches thousands of account-days.
COPY_THRESHOLD = 200


def add_to_totals(
    conn: Connection, table: str, keys: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Insert (keys..., amount) rows, or add `amount` to the row already there for those keys."""
    if not rows:
        return
    columns = [*keys, "amount"]
    names = ", ".join(columns)
    on_conflict = (
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET amount = {table}.amount + excluded.amount"
    )
    if conn.dialect.name == "postgresql" and len(rows) > COPY_THRESHOLD:
        _copy_upsert(conn, table, names, on_conflict, rows)
        return
    mark = "%s" if conn.dialect.name == "postgresql" else "?"
    conn.exec_driver_sql(
        f"INSERT INTO {table} ({names}) VALUES ({', '.join([mark] * len(columns))}) {on_conflict}",
        rows,
    )


def _copy_upsert(
    conn: Connection, table: str, names: str, on_conflict: str, rows: list[tuple[Any, ...]]
) -> None:
    staging = f"jf_stage_{table}"
    driver = conn.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor:
        # Session-local and emptied at commit, so a pooled connection can reuse it safely.
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {staging} "
            f"(LIKE {table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        with cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {staging} {on_conflict}")
        cursor.execute(f"DELETE FROM {staging}")
