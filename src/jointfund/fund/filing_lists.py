"""Reading stored filings back: pages of every version, the latest version by period (sorted
and counted, for the registry page and the API), and a reporting entity's own filings, each with
the reason that is true of it."""

from __future__ import annotations

from dataclasses import replace

from jointfund import store
from jointfund.errors import PermissionDeniedError
from jointfund.governance import User, require
from jointfund.i18n.message import Message
from jointfund.store import Database, Tx
from jointfund.store.filing_reads import FilingRow, filing_sort_key
from jointfund.store.keyset import Sort


def _true_reasons(tx: Tx, rows: list[FilingRow]) -> list[FilingRow]:
    """Rows with the reason that is true of each filing: a filing stored with another filing's
    cached text (books from before each reason named its own period) shows its chained note."""
    notes = store.filing_reasons.true_reasons_for(tx, [r.id for r in rows])
    return [replace(r, reason=notes[r.id]) if r.id in notes else r for r in rows]


def list_filings(
    db: Database,
    actor: User,
    *,
    year: int | None = None,
    licence_id: str | None = None,
    after_id: int = 0,
    limit: int = 100,
) -> list[FilingRow]:
    """A page of stored filings (every version) with the terms' decision on each."""
    require(actor, "filings.read")
    with db.read() as tx:
        return _true_reasons(
            tx,
            store.filing_reads.filing_page(
                tx, year=year, licence_id=licence_id, after_id=after_id, limit=limit
            ),
        )


def filings_by_period(
    db: Database,
    actor: User,
    *,
    year: int | None = None,
    licence_id: str | None = None,
    after_id: int = 0,
    before_id: int = 0,
    limit: int = 100,
    sort: Sort | None = None,
) -> tuple[list[FilingRow], int]:
    """A page of stored filings (every version) in period order, or the order of `sort` (one
    of `sorting.FILINGS`), after or before a filing id, and how many filings (latest
    versions) the filters match, from the kept totals."""
    require(actor, "filings.read")
    with db.read() as tx:
        rows = store.filing_reads.filing_page_by_period(
            tx,
            year=year,
            licence_id=licence_id,
            after_id=after_id,
            before_id=before_id,
            limit=limit,
            sort=sort,
        )
        count = store.filing_totals.latest_filing_count(tx, year=year, licence_id=licence_id)
        return _true_reasons(tx, rows), count


def own_filings_by_period(
    db: Database,
    actor: User,
    *,
    year: int | None = None,
    licence_id: str | None = None,
    after_id: int = 0,
    before_id: int = 0,
    limit: int = 100,
    sort: Sort | None = None,
) -> tuple[list[FilingRow], int]:
    """`filings_by_period` for a reporting entity: only the filings of the licences it holds
    (or of the one named, when it holds it), what it submitted and what the terms decided."""
    require(actor, "filings.read_own")
    if licence_id is not None and licence_id not in actor.licence_ids:
        raise PermissionDeniedError(
            Message(
                "{actor} may read filings only of its own licences ({licences}), not "
                "{licence_id!r}",
                actor=actor.label,
                licences=", ".join(actor.licence_ids) or Message("none"),
                licence_id=licence_id,
            )
        )
    wanted = [licence_id] if licence_id is not None else sorted(actor.licence_ids)
    found: list[FilingRow] = []
    count = 0
    with db.read() as tx:
        for licence in wanted:
            found += store.filing_reads.filing_page_by_period(
                tx,
                year=year,
                licence_id=licence,
                after_id=after_id,
                before_id=before_id,
                limit=limit,
                sort=sort,
            )
            count += store.filing_totals.latest_filing_count(tx, year=year, licence_id=licence)
        found = _true_reasons(tx, found)
    order = sort or Sort("period")
    found.sort(key=filing_sort_key(order), reverse=order.descending)
    return (found[-limit:] if before_id else found[:limit]), count
