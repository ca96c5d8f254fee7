"""The public tables' pages read from the kept sums: the next licences or holders after a
cursor, in the order the tables show them, and the per-licence sums of just those, so the first
page after a change costs a page of rows, not every licence of the register.

Names are compared byte for byte (PostgreSQL's `COLLATE "C"`, SQLite's default), the order
Python sorts the whole tables in, whatever collation a PostgreSQL database was created with.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, text

from jointfund.store.filing_totals import licence_sums_select


def _scope(year: int | None) -> tuple[str, dict[str, Any]]:
    """The condition that a licence `l` has sums in the scope (one fiscal year, or every year)."""
    if year is None:
        return "EXISTS (SELECT 1 FROM filing_licences t WHERE t.licence_id = l.licence_id)", {}
    return (
        "EXISTS (SELECT 1 FROM filing_totals t WHERE t.fiscal_year = :year "
        "AND t.licence_id = l.licence_id)",
        {"year": f"{year:04d}"},
    )


def _bytewise(conn: Connection, column: str) -> str:
    return f'{column} COLLATE "C"' if conn.dialect.name == "postgresql" else column


def licences_after(
    conn: Connection, year: int | None, after: tuple[str, str] | None, limit: int
) -> list[str]:
    """Up to `limit` licences with sums in the scope, by holder then licence, after the
    (holder, licence) `after` (from the first when None)."""
    scope, params = _scope(year)
    holder, licence = _bytewise(conn, "l.holder"), _bytewise(conn, "l.licence_id")
    where = [scope]
    if after is not None:
        # a row value: SQLite walks the holder index from the cursor (an OR walked from the
        # first licence, 0.55 ms against 0.04 at 20,000 licences)
        where.append(f"({holder}, {licence}) > (:holder, :licence)")
        params |= {"holder": after[0], "licence": after[1]}
    rows = conn.execute(
        text(
            f"SELECT l.licence_id FROM licences l WHERE {' AND '.join(where)} "
            f"ORDER BY {holder}, {licence} LIMIT :limit"
        ),
        params | {"limit": limit},
    )
    return [str(r[0]) for r in rows]


def holders_after(conn: Connection, year: int | None, after: str, limit: int) -> list[str]:
    """Up to `limit` licence holders with sums in the scope, by name, after `after`."""
    scope, params = _scope(year)
    holder = _bytewise(conn, "l.holder")
    rows = conn.execute(
        text(
            f"SELECT l.holder FROM licences l WHERE {scope} AND {holder} > :after "
            f"GROUP BY l.holder ORDER BY {holder} LIMIT :limit"
        ),
        params | {"after": after, "limit": limit},
    )
    return [str(r[0]) for r in rows]


def holder_of(conn: Connection, year: int | None, licence_id: str) -> str | None:
    """The holder of a licence with sums in the scope; None when the tables do not hold it."""
    scope, params = _scope(year)
    found = conn.execute(
        text(f"SELECT l.holder FROM licences l WHERE l.licence_id = :licence AND {scope}"),
        params | {"licence": licence_id},
    ).first()
    return None if found is None else str(found[0])


def table_counts(conn: Connection, year: int | None) -> tuple[int, int]:
    """How many holders and licences the tables hold in the scope."""
    scope, params = _scope(year)
    row = conn.execute(
        text(f"SELECT count(DISTINCT l.holder), count(*) FROM licences l WHERE {scope}"), params
    ).one()
    return int(row[0]), int(row[1])


def sums_of(
    conn: Connection,
    year: int | None,
    *,
    licence_ids: Sequence[str] = (),
    holders: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """The rows of `filing_totals.public_licence_sums` of the given licences, or of every
    licence of the given holders (a page holds at most a few hundred)."""
    if not licence_ids and not holders:
        return []
    column, values = ("l.licence_id", licence_ids) if licence_ids else ("l.holder", holders)
    names = {f"k{i}": v for i, v in enumerate(values)}
    query, params = licence_sums_select(year)
    where = f"{column} IN ({', '.join(':' + k for k in names)})"
    return [tuple(r) for r in conn.execute(text(query.format(where=where)), params | names)]
