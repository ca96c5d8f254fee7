"""Add-to-total upserts both SQLite and PostgreSQL run natively, through the driver."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection


def add_to_totals(
    conn: Connection, table: str, keys: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Insert (keys..., amount) rows, or add `amount` to the row already there for those keys.

    Runs once per posted batch with up to one row per account and day, so it skips the SQL
    compiler and goes to the driver's executemany.
    """
    if not rows:
        return
    mark = "%s" if conn.dialect.name == "postgresql" else "?"
    columns = [*keys, "amount"]
    conn.exec_driver_sql(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))}) "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET amount = {table}.amount + excluded.amount",
        rows,
    )
