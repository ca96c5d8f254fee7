"""The licence register a page at a time: keyset pages along the licence id (the primary
key), a search by id prefix or holder, and how many licences match."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, func, or_, select

from jointfund.intake.records import LicenceRecord
from jointfund.store.keyset import Sort, keyset_page
from jointfund.store.licences import licence_from_row
from jointfund.store.tables.registry import licences

# The register's sorts, each read along an index: the licence id (the primary key), the
# holder and the issue date (migration 0025), the licence id breaking ties.
LICENCE_SORTS = {
    "licence": (licences.c.licence_id,),
    "holder": (licences.c.holder, licences.c.licence_id),
    "issued": (licences.c.issued_on, licences.c.licence_id),
}


def _matching(search: str | None) -> list[ColumnElement[Any]]:
    if not search:
        return []
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return [
        or_(
            licences.c.licence_id.like(f"{escaped}%", escape="\\"),
            func.lower(licences.c.holder).like(f"%{escaped.lower()}%", escape="\\"),
        )
    ]


def licence_page(
    conn: Connection,
    *,
    search: str | None = None,
    after: str | None = None,
    before: str | None = None,
    limit: int = 100,
    sort: Sort | None = None,
) -> list[LicenceRecord]:
    """Licences in the order of `sort` (by id unless told) after licence `after` (or the page
    before licence `before`), optionally only those whose id starts with, or whose holder
    contains, `search`."""
    order = sort or Sort("licence")
    stmt = select(licences).where(*_matching(search))
    rows = keyset_page(
        conn,
        stmt,
        LICENCE_SORTS[order.name],
        order.descending,
        after=after,
        before=before,
        limit=limit,
    )
    return [licence_from_row(r) for r in rows]


def count_licences(conn: Connection, *, search: str | None = None) -> int:
    """How many licences the search matches."""
    stmt = select(func.count()).select_from(licences).where(*_matching(search))
    return int(conn.execute(stmt).scalar() or 0)
