"""The licence register a page at a time: keyset pages along the licence id (the primary
key), a search by id prefix or holder, and how many licences match."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, func, or_, select

from jointfund.intake.records import LicenceRecord
from jointfund.store.licences import licence_from_row
from jointfund.store.tables.registry import licences


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
) -> list[LicenceRecord]:
    """Licences by id after `after` (or the page before `before`), optionally only those whose
    id starts with, or whose holder contains, `search`."""
    stmt = select(licences).where(*_matching(search))
    if before is not None:
        stmt = stmt.where(licences.c.licence_id < before).order_by(licences.c.licence_id.desc())
    else:
        if after is not None:
            stmt = stmt.where(licences.c.licence_id > after)
        stmt = stmt.order_by(licences.c.licence_id)
    found = [licence_from_row(r) for r in conn.execute(stmt.limit(limit))]
    return found[::-1] if before is not None else found


def count_licences(conn: Connection, *, search: str | None = None) -> int:
    """How many licences the search matches."""
    stmt = select(func.count()).select_from(licences).where(*_matching(search))
    return int(conn.execute(stmt).scalar() or 0)
