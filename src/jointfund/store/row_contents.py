"""Each row of a protected table with the canonical bytes its digest is taken of, in key order.

`verify` hashes every row of every protected table: ten million filings at a registry's size.
On SQLite the database spells a table with one integer key itself (`json_array` of its
columns, flags as `true`/`false`), so a row crosses into Python as one string instead of 25
values to convert and spell: 4.6 s against 8.5 s for two million filings. Its spelling is the
same bytes as `canonical_row` for every character tried (the test pins it), but a row whose
digest then differs is spelled again the Python way before anything is said about it
(`python_digest`), so a difference in spelling can never be reported as an edit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import NamedTuple

from sqlalchemy import Boolean, Connection, Integer, Table, select

from jointfund.ledger.hashing import canonical_row
from jointfund.store.driver_rows import driver_pages
from jointfund.store.row_chain import VERSION_COLUMN, RowCanon


class RowContent(NamedTuple):
    """A row's integer key (None for other keys), its row key, and the SHA-256 of its
    canonical bytes (a tuple: two million are made per walk of the filings, and a dataclass
    cost 1 µs each)."""

    row_id: int | None
    key: str
    digest: bytes


def spelled_by_database(conn: Connection, table: Table) -> bool:
    """Whether the database spells `table`'s rows: SQLite, and one integer primary key, which
    is then the row key (so no versioned table, whose key carries its version)."""
    pk = list(table.primary_key.columns)
    return (
        conn.dialect.name == "sqlite"
        and len(pk) == 1
        and isinstance(pk[0].type, Integer)
        and VERSION_COLUMN not in table.c
    )


def row_contents(conn: Connection, table: Table, page: int) -> Iterator[list[RowContent]]:
    """Every row of `table` in primary-key order with its digest, a page at a time."""
    canon = RowCanon(table)
    if spelled_by_database(conn, table):
        yield from _sqlite_spelled(conn, table, canon, page)
        return
    pk = list(table.primary_key.columns)
    single = len(canon.key_at) == 1
    sha256 = hashlib.sha256
    for part in conn.execute(
        select(table).order_by(*pk).execution_options(yield_per=page)
    ).partitions():
        out = []
        for row in part:
            values = canon.spelled(tuple(row))
            first = values[canon.key_at[0]] if single else None
            row_id = first if type(first) is int else None
            digest = sha256(canonical_row(values)).digest()
            out.append(RowContent(row_id, canon.key_of(values), digest))
        yield out


def _sqlite_spelled(
    conn: Connection, table: Table, canon: RowCanon, page: int
) -> Iterator[list[RowContent]]:
    columns = []
    for column in table.columns:
        name = f'"{column.name}"'
        if isinstance(column.type, Boolean):  # stored 0/1; spelled as Python's bool() says
            name = (
                f"CASE WHEN {name} IS NULL THEN NULL "
                f"WHEN {name} THEN json('true') ELSE json('false') END"
            )
        columns.append(name)
    key = f'"{next(iter(table.primary_key.columns)).name}"'
    sql = f'SELECT {key}, json_array({", ".join(columns)}) FROM "{table.name}" ORDER BY {key}'
    late, sha256 = canon.late, hashlib.sha256
    for part in driver_pages(conn, sql, page):
        if late:
            part = [(i, _without_late_nulls(spelled, late)) for i, spelled in part]
        yield [RowContent(i, str(i), sha256(spelled.encode()).digest()) for i, spelled in part]


def _without_late_nulls(spelled: str, late: int) -> str:
    """The spelling without the trailing nulls of columns added late (`RowCanon.spelled`)."""
    while late and spelled.endswith(",null]"):
        spelled = spelled[:-6] + "]"
        late -= 1
    return spelled


def python_digest(conn: Connection, table: Table, row_id: int) -> bytes | None:
    """The digest of one row as SQLAlchemy reads and `RowCanon` spells it: what a row the
    database spelled is checked again with. None when the row is gone or holds what the books
    cannot have written (a day that is not an ISO date): an edit, not a crash."""
    pk = next(iter(table.primary_key.columns))
    try:
        row = conn.execute(select(table).where(pk == row_id)).first()
    except (ValueError, TypeError):  # the driver's types refuse the stored value
        return None
    if row is None:
        return None
    return hashlib.sha256(canonical_row(RowCanon(table).spelled(tuple(row)))).digest()
