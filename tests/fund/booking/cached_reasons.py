"""Filings stored as the decider kept them before each reason named its own filing: every
filing of a licence and stream before entry into force with the first one's text."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from jointfund import store


def store_cached_reasons(tx: Connection, count: int = 4) -> list[tuple[int, Any]]:
    """Store copies of the earliest `count` pre-entry-into-force filings of one licence and
    stream, each with the first one's reason, chained as any insert; (new id, original row)."""
    early = [
        r
        for r in store.filing_reads.filing_rows(tx)
        if not r.eligible and "precede entry into force" in (r.reason or "")
    ]
    first = min(early, key=lambda r: r.period_end)
    cached = (
        f"receipts for periods ending {first.period_end.isoformat()} precede entry into "
        "force on 2025-05-23"
    )
    table = store.tables.registry.filings
    same = [r for r in early if (r.licence_id, r.stream) == (first.licence_id, first.stream)]
    stored = []
    for n, r in enumerate(sorted(same, key=lambda r: r.period_end)[:count]):
        row = {c.name: getattr(r, c.name) for c in table.columns if c.name != "id"}
        row |= {"payer_reference": f"CACHED-{n}", "reason": cached}
        key = tx.execute(table.insert().values(**row)).inserted_primary_key
        store.row_chain.chain_inserted(tx, table, key)
        store.filing_totals.add_filings(tx, int(key[0]), int(key[0]))  # as an import keeps them
        stored.append((int(key[0]), r))
    return stored
