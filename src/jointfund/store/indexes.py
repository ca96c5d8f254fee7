"""Reading a table's indexes, expression indexes included.

SQLAlchemy cannot reflect an index on an expression from SQLite (`ix_filings_year` holds
`substr(period, 1, 4)`) and warns that it skipped it; these read what the database holds.
"""

from __future__ import annotations

import warnings

from sqlalchemy import Connection, Index, inspect
from sqlalchemy.exc import SAWarning


def index_names(conn: Connection, table: str) -> set[str]:
    """The names of every index on `table`, expression indexes included."""
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(f'PRAGMA index_list("{table}")')
        return {str(r[1]) for r in rows}
    return {str(i["name"]) for i in inspect(conn).get_indexes(table)}


def create_missing_index(conn: Connection, index: Index) -> None:
    """Create `index` where its table exists and lacks it (a migration adding an index to
    books made before it; on fresh books the table's own creation made it already)."""
    table = index.table
    assert table is not None
    if inspect(conn).has_table(table.name) and index.name not in index_names(conn, table.name):
        index.create(conn)


def unique_keys(conn: Connection, table: str) -> list[tuple[str, ...]]:
    """The columns of each unique constraint and unique index on `table` (SQLite reads its
    unique constraints from its indexes, so both skip the expression indexes, none unique)."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", "Skipped unsupported reflection of expression-based index", SAWarning
        )
        found = inspect(conn)
        keys = [
            tuple(str(c) for c in u["column_names"]) for u in found.get_unique_constraints(table)
        ]
        indexes = found.get_indexes(table)
    return keys + [tuple(str(c) for c in i["column_names"]) for i in indexes if i.get("unique")]
