"""Keyset pages of a sorted list: rows ordered by a sort column and then a unique id, the page
after (or before) a cursor row found by its id. Only sorts an index serves are defined (each
list's `SORTS`), so a page costs the same at any depth.

A sort is named as the pages write it in their addresses: `date` ascending, `-date`
descending.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, select, tuple_


@dataclass(frozen=True, slots=True)
class Sort:
    """A sort by `name`, ascending or descending (`-name` in an address)."""

    name: str
    descending: bool = False

    @property
    def text(self) -> str:
        """The sort as an address writes it."""
        return f"-{self.name}" if self.descending else self.name


def parse_sort(text: str, offered: Mapping[str, Any], default: str) -> Sort | None:
    """The sort an address names, or None when it names none of `offered` (empty: the
    default, ascending)."""
    name = text.removeprefix("-")
    if not text:
        return Sort(default)
    if name not in offered:
        return None
    return Sort(name, text.startswith("-"))


def ordered(columns: Sequence[ColumnElement[Any]], descending: bool) -> list[Any]:
    """ORDER BY the columns, all one way (so one index serves it forwards or backwards)."""
    return [c.desc() if descending else c.asc() for c in columns]


def beyond(
    columns: Sequence[ColumnElement[Any]], values: Sequence[Any], descending: bool
) -> ColumnElement[bool]:
    """The rows after the cursor's `values` in the order of `columns` (a row-value compare)."""
    if len(columns) == 1:
        one: ColumnElement[bool] = columns[0] < values[0] if descending else columns[0] > values[0]
        return one
    left, right = tuple_(*columns), tuple_(*values)
    many: ColumnElement[bool] = left < right if descending else left > right
    return many


def cursor_values(
    conn: Connection,
    columns: Sequence[ColumnElement[Any]],
    id_column: ColumnElement[Any],
    cursor: Any,
) -> tuple[Any, ...] | None:
    """The sort values of the cursor row (None when no row has that id)."""
    row = conn.execute(select(*columns).where(id_column == cursor)).first()
    return None if row is None else tuple(row)


def keyset_page(
    conn: Connection,
    stmt: Select[Any],
    columns: Sequence[ColumnElement[Any]],
    descending: bool,
    *,
    after: Any = None,
    before: Any = None,
    limit: int,
) -> list[Any]:
    """The rows of `stmt` in the order of `columns` (the unique id last): the first page, the
    page after row `after` or the page before row `before` (both ids), in display order."""
    cursor, backwards = (before, True) if before is not None else (after, False)
    if cursor is not None:
        values = cursor_values(conn, columns, columns[-1], cursor)
        if values is not None:
            stmt = stmt.where(beyond(columns, values, descending != backwards))
    rows = list(
        conn.execute(stmt.order_by(*ordered(columns, descending != backwards)).limit(limit))
    )
    return rows[::-1] if backwards else rows
