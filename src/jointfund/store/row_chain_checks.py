"""Whether rows read from a chained table are exactly their newest chained versions.

The cheap check behind using a token, a seat on the board or a licence: a row planted or edited
behind the books' back is refused at once, not only at `verify`. Rows are checked a batch at a
time (one indexed lookup per 500 rows), so an import that names every licence of a national
register pays for one query per 500 licences, not two per licence.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, select

from jointfund.errors import IntegrityError
from jointfund.i18n.message import Message
from jointfund.store.row_chain import RowCanon
from jointfund.store.tables.chain import row_chain

_BATCH = 500


def unchained_rows(
    conn: Connection, table: Table, rows: Sequence[Sequence[Any]]
) -> list[Sequence[Any]]:
    """The rows (all columns, table order) that are not exactly their newest chained version:
    no record holds their digest under their key, or a later version of them is chained."""
    canon = RowCanon(table)
    name = str(table.name)
    bad: list[Sequence[Any]] = []
    for start in range(0, len(rows), _BATCH):
        part = rows[start : start + _BATCH]
        hashed = [canon.hashed(row) for row in part]
        newer: list[str | None] = [None] * len(part)
        if canon.version_at is not None:
            at = canon.version_at
            newer = [f"{canon.base_key(canon.spelled(row))}@{int(row[at]) + 1}" for row in part]
        # One lookup for both questions: the rows' own records and any later version's.
        asked = [key for key, _ in hashed] + [k for k in newer if k is not None]
        found = conn.execute(
            select(row_chain.c.row_key, row_chain.c.row_hash).where(
                row_chain.c.table_name == name, row_chain.c.row_key.in_(asked)
            )
        )
        held = {str(key): str(digest) for key, digest in found}
        bad.extend(
            row
            for row, (key, digest), later in zip(part, hashed, newer, strict=True)
            if held.get(key) != digest or (later is not None and later in held)
        )
    return bad


def chained_as_stored(conn: Connection, table: Table, row: Sequence[Any]) -> bool:
    """Whether one row is exactly its newest chained version."""
    return not unchained_rows(conn, table, [row])


def require_chained(conn: Connection, table: Table, row: Sequence[Any], what: str) -> None:
    """Refuse to act on a row that is not its newest chained version (IntegrityError)."""
    if not chained_as_stored(conn, table, row):
        raise_unchained(what)


def raise_unchained(what: str) -> None:
    """The refusal of a row changed behind the books' back, naming it."""
    raise IntegrityError(
        Message(
            "{what} does not match the books' record of it: changed behind the books' back; "
            "nothing was done (run `jointfund verify`)",
            what=what,
        )
    )
