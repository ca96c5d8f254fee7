"""True reasons for stored filings whose kept "why not eligible" text named another period.

Before the fix in `fund.booking`, every filing of a licence and stream before entry into force
kept the reason of the first one decided. Filings are append-only and chained, so their rows
stay as stored; `filing_reasons` (append-only, chained) notes what was true of each such
filing. Migration 0016 writes the notes for books that already hold filings.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import Connection, select

from jointfund.clock import stamp_now
from jointfund.store.row_chain import chain_unchained
from jointfund.store.tables.registry import filing_reasons, filings
from jointfund.terms.inflow import precedes_entry_into_force

_CACHED = re.compile(
    r"^receipts for periods ending (\d{4}-\d{2}-\d{2}) precede entry into force on "
    r"(\d{4}-\d{2}-\d{2})$"
)


def note_true_reasons(conn: Connection) -> int:
    """Note the true reason of every stored filing whose reason names another period's end;
    chain the notes. Returns how many were noted (0 when run again)."""
    noted = set(conn.execute(select(filing_reasons.c.filing_id)).scalars())
    rows = conn.execute(
        select(
            filings.c.id,
            filings.c.period,
            filings.c.period_end,
            filings.c.received_on,
            filings.c.reason,
        ).where(filings.c.reason.like("receipts for periods ending %"))
    )
    now = stamp_now()
    notes = []
    for row in rows:
        found = _CACHED.match(row.reason or "")
        if found is None or row.id in noted:
            continue
        if date.fromisoformat(found.group(1)) == row.period_end:
            continue  # the text was true of this filing (it made the cached plan)
        true = precedes_entry_into_force(
            date.fromisoformat(found.group(2)),
            period=row.period,
            period_end=row.period_end,
            received_on=row.received_on,
        )
        notes.append(
            {"filing_id": row.id, "reason": true, "stored_reason": row.reason, "noted_at": now}
        )
    if notes:
        conn.execute(filing_reasons.insert(), notes)
    chain_unchained(conn, filing_reasons)
    return len(notes)


def true_reasons(conn: Connection) -> dict[int, str]:
    """The noted true reason per filing id (filings not listed kept a true reason)."""
    rows = conn.execute(select(filing_reasons.c.filing_id, filing_reasons.c.reason))
    return {int(r.filing_id): str(r.reason) for r in rows}


def true_reasons_for(conn: Connection, filing_ids: list[int]) -> dict[int, str]:
    """The noted true reasons of the given filings (those that have one)."""
    if not filing_ids:
        return {}
    rows = conn.execute(
        select(filing_reasons.c.filing_id, filing_reasons.c.reason).where(
            filing_reasons.c.filing_id.in_(filing_ids)
        )
    )
    return {int(r.filing_id): str(r.reason) for r in rows}
