"""The rent filings the compliance calendar reads: counted per period, day received and the
licence's resources (what a rent deadline's status and the Tax Code's rules depend on), and
listed a page at a time, newest receipt first.

"As of" a day means what the books showed that day: the newest version of each filing among
those received by then. On or after the newest receipt that is every filing's newest version,
so the counts are read from the kept `filing_rent_days`; for an earlier day they are summed
from the filings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, func, select

from jointfund.store.filing_reads import FilingRow, filing_row
from jointfund.store.filing_totals import latest_receipt
from jointfund.store.keyset import keyset_page
from jointfund.store.tables.registry import filing_rent_days, filings, licences
from jointfund.terms.catalogue import RevenueStream

__all__ = ["RentDay", "rent_days", "rent_page"]


@dataclass(frozen=True, slots=True)
class RentDay:
    """How many rent filings of one period were received on one day from licences yielding
    `resources`."""

    period: str
    received_on: date
    resources: tuple[str, ...]
    payments: int


def _newest_by(as_of: date) -> ColumnElement[bool]:
    """The filing is the newest version among those received by `as_of`."""
    g = filings.alias("g")
    return ~(
        select(g.c.id)
        .where(
            g.c.payer_reference == filings.c.payer_reference,
            g.c.version > filings.c.version,
            g.c.received_on <= as_of,
        )
        .exists()
    )


def _rent_on(as_of: date) -> list[ColumnElement[bool]]:
    return [
        filings.c.stream == RevenueStream.ROYALTY.value,
        filings.c.received_on <= as_of,
        _newest_by(as_of),
    ]


def _day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def rent_days(conn: Connection, as_of: date) -> list[RentDay]:
    """Rent filings as of `as_of`, counted per period, day received and resources: kept rows
    on or after the newest receipt, the filings summed for an earlier day."""
    newest = latest_receipt(conn)
    if newest is None or as_of >= newest:
        k = filing_rent_days.c
        rows = conn.execute(select(k.period, k.received_on, k.resources, k.payments))
    else:
        keys = (filings.c.period, filings.c.received_on, licences.c.resources)
        rows = conn.execute(
            select(*keys, func.count())
            .join_from(filings, licences, licences.c.licence_id == filings.c.licence_id)
            .where(*_rent_on(as_of))
            .group_by(*keys)
        )
    return [RentDay(str(p), _day(d), tuple(json.loads(r)), int(n)) for p, d, r, n in rows]


def rent_page(
    conn: Connection,
    as_of: date,
    *,
    after: int | None = None,
    limit: int,
    licence_id: str | None = None,
) -> list[FilingRow]:
    """Rent filings as of `as_of`, newest receipt first (then newest id), after filing
    `after`: a keyset page along the received-day index, so its cost follows the page."""
    stmt = select(filings).where(*_rent_on(as_of))
    if licence_id is not None:
        stmt = stmt.where(filings.c.licence_id == licence_id)
    columns = (filings.c.received_on, filings.c.id)
    rows = keyset_page(conn, stmt, columns, True, after=after, limit=limit)
    return [filing_row(r) for r in rows]
