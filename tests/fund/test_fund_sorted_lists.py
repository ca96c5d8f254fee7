"""The sorted lists and the FX rate trace through the use cases, on a SQLite file and on
PostgreSQL: every sort each list offers, either way, paged by a keyset cursor, gives the rows
a full sort of the list gives; the rates an entry was booked at list that entry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

from jointfund.fund import audit, books, demo, filing_lists, licences, sorting, trace
from jointfund.fund.filings import import_filings
from jointfund.fund.licences import import_licences
from jointfund.fund.rates import import_fx_rates
from jointfund.fund.setup import set_up_fund
from jointfund.fund.sorting import Sort
from jointfund.fund.users import authenticate
from jointfund.governance import User
from jointfund.store import Database, open_database
from jointfund.store.database import schema_revision, upgrade
from jointfund.store.indexes import index_names
from tests.store.migration_rewind import rewind

DRAFT = "ua-us-2025-02-21-draft"


def build(url: str) -> tuple[Database, User]:
    """The example fund's registry and filings under the draft terms (receipts booked daily)."""
    db = open_database(url)
    set_up_fund(db, DRAFT)
    admin, logins, _ = demo._people(db)
    source = demo.example_dir()
    import_licences(db, admin, source / "licences.csv")
    import_fx_rates(db, admin, source / "fx.csv")
    demo._contributions(db, admin, source)
    import_filings(db, admin, source / "filings.csv")
    auditor = next(x for x in logins if x.name == "auditor")
    return db, authenticate(db, auditor.token)


def pages(read: Callable[[Any, int], list[Any]], cursor: Callable[[Any], Any]) -> list[Any]:
    """Every row, reading pages of 4 after the last row of the previous one."""
    found: list[Any] = []
    after = None
    while part := read(after, 4):
        found += part
        after = cursor(part[-1])
        assert len(found) < 10_000
    return found


def check(rows: list[Any], key: Callable[[Any], tuple[Any, ...]], sort: Sort, whole: int) -> None:
    keys = [key(r) for r in rows]
    assert len(keys) == whole, sort
    assert keys == sorted(keys, reverse=sort.descending), sort


def test_every_sort_pages_like_a_full_sort_and_rates_trace_both_ways(
    db_url: str, tmp_path: Path
) -> None:
    db, auditor = build(db_url)
    try:
        journal_keys = {
            "seq": lambda e: (e.seq,),
            "date": lambda e: (e.entry.effective_date, e.seq),
            "kind": lambda e: (e.entry.kind, e.seq),
            "key": lambda e: (e.entry.key, e.seq),
        }
        entries = len(books.journal(db, auditor, limit=100_000))
        filing_keys = {
            "period": lambda f: (f.period, f.id),
            "received": lambda f: (f.received_on, f.id),
            "licence": lambda f: (f.licence_id, f.period, f.id),
            "gross": lambda f: (f.currency, f.gross_minor, f.id),
        }
        stored = len(filing_lists.filings_by_period(db, auditor, limit=100_000)[0])
        licence_keys = {
            "licence": lambda r: (r.licence_id,),
            "holder": lambda r: (r.holder, r.licence_id),
            "issued": lambda r: (r.issued_on, r.licence_id),
        }
        registered = len(licences.list_licences(db, auditor))
        audit_keys = {
            "seq": lambda r: (r.seq,),
            "actor": lambda r: (r.actor, r.seq),
            "action": lambda r: (r.action, r.seq),
            "target": lambda r: (r.target, r.seq),
        }
        written = len(audit.read_audit(db, auditor, limit=1000))
        assert set(journal_keys) == set(sorting.JOURNAL)
        assert set(filing_keys) == set(sorting.FILINGS)
        assert set(licence_keys) == set(sorting.LICENCES)
        assert set(audit_keys) == set(sorting.AUDIT)
        for descending in (False, True):
            for name, key in journal_keys.items():
                sort = Sort(name, descending)
                rows = pages(
                    lambda after, n, s=sort: books.journal(
                        db, auditor, after_seq=after or 0, limit=n, sort=s
                    ),
                    lambda e: e.seq,
                )
                check(rows, key, sort, entries)
            for name, key in filing_keys.items():
                sort = Sort(name, descending)
                rows = pages(
                    lambda after, n, s=sort: filing_lists.filings_by_period(
                        db, auditor, after_id=after or 0, limit=n, sort=s
                    )[0],
                    lambda f: f.id,
                )
                check(rows, key, sort, stored)
            for name, key in licence_keys.items():
                sort = Sort(name, descending)
                rows = pages(
                    lambda after, n, s=sort: licences.licence_page(
                        db, auditor, after=after, limit=n, sort=s
                    )[0],
                    lambda r: r.licence_id,
                )
                check(rows, key, sort, registered)
            for name, key in audit_keys.items():
                sort = Sort(name, descending)
                rows = pages(
                    lambda after, n, s=sort: audit.read_audit(
                        db, auditor, after_seq=after or 0, limit=n, sort=s
                    ),
                    lambda r: r.seq,
                )
                check(rows, key, sort, written)

        # An inflow entry's rates, and back: each rate lists the entry among those booked at it.
        inflow = books.journal(db, auditor, kind="inflow", limit=1)[0]
        rates = trace.entry_rates(db, auditor, seq=inflow.seq)
        assert rates and all(r.source.endswith("fx.csv") for r in rates)
        for rate in rates:
            again, found, count = trace.rate_entries(
                db, auditor, on=rate.on, base=rate.base, quote=rate.quote
            )
            assert again.rate == rate.rate and inflow.seq in [e.seq for e in found]
            assert count == len(found) and again.filings >= rate.filings
    finally:
        db.dispose()


NEW_INDEXES = {
    "filings": {"ix_filings_received", "ix_filings_gross", "ix_filings_fx_rate"},
    "licences": {"ix_licences_issued", "ix_licences_holder"},
    "audit_log": {"ix_audit_log_actor_seq", "ix_audit_log_action_seq", "ix_audit_log_target_seq"},
}


def test_migration_0025_adds_the_list_indexes_to_books_made_before_it(db_url: str) -> None:
    db = open_database(db_url)
    try:
        with db.write() as conn:  # the books as 0022 left them
            for names in NEW_INDEXES.values():
                for name in names:
                    conn.execute(text(f"DROP INDEX {name}"))
            rewind(conn, "0022")
        upgrade(db)
        with db.read() as conn:
            for table, names in NEW_INDEXES.items():
                assert names <= index_names(conn, table), table
        assert "0026" in (schema_revision(db) or ""), "up to the newest revision, past 0025"
    finally:
        db.dispose()
