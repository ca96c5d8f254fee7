"""The bulk path of a filings import: rows chained as built, the licence index built after the
rows on SQLite, and decisions worked out once per licence, stream and day still exact per row."""

from __future__ import annotations

import hashlib
import struct
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from jointfund import store
from jointfund.errors import InputError
from jointfund.fund.filings import import_filings
from jointfund.fund.licences import import_licences
from jointfund.fund.rates import import_fx_rates
from jointfund.fund.setup import set_up_fund
from jointfund.ledger.hashing import canonical_json
from jointfund.store import Database, open_database
from jointfund.store import filings as stored_filings
from jointfund.store.books import Books
from jointfund.store.filing_reads import filing_rows
from jointfund.store.indexes import index_names
from jointfund.store.row_chain import RowCanon, chain_rows
from jointfund.store.tables.chain import row_chain
from jointfund.store.tables.registry import filings
from tests.operator import operator

from .booking_fixtures import FILINGS, HEADER, LICENCES, direct_agreement, snapshot, write

# Two days at different rates, so a rate remembered for one day must not leak to the other.
FX_TWO_DAYS = "date,base,quote,rate\n2025-09-12,USD,UAH,40.00\n2025-09-15,USD,UAH,50.00\n"


def _fund(db: Database, tmp_path: Path) -> Books:
    # The booking path under test credits each receipt on its day: the agreement without its
    # contribution cycle.
    set_up_fund(db, direct_agreement(tmp_path))
    import_licences(db, operator(db), write(tmp_path, "licences.csv", LICENCES))
    # Rates far apart on purpose (each filing's rate is then visible in its share): confirmed.
    import_fx_rates(db, operator(db), write(tmp_path, "fx.csv", FX_TWO_DAYS), confirm_jumps=True)
    return Books(db)


def _bulk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make three filings a bulk import: several slices, and the index rebuilt on SQLite."""
    monkeypatch.setattr(stored_filings, "_REBUILD_FROM", 1)
    monkeypatch.setattr(stored_filings, "_FILING_SLICE", 2)


def _licence_index_present(db: Database) -> bool:
    with db.read() as conn:
        return "ix_filings_licence" in index_names(conn, "filings")


def test_a_bulk_import_chains_every_row_as_the_database_returns_it(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    books = _fund(db, tmp_path)
    _bulk(monkeypatch)
    done = import_filings(db, operator(db), write(tmp_path, "filings.csv", FILINGS))
    assert done.booked == 3
    assert _licence_index_present(db)
    canon = RowCanon(filings)
    with db.read() as conn:
        records = conn.execute(
            select(row_chain).where(row_chain.c.table_name == "filings").order_by(row_chain.c.seq)
        ).all()
        stored = {
            int(r.id): hashlib.sha256(canonical_json(canon.spelled(tuple(r))).encode()).digest()
            for r in conn.execute(select(filings))
        }
    # One record per slice of two, each holding its rows' ids and digests under its hash.
    assert [r.row_key for r in records] == ["1..2", "3..3"]
    held: dict[int, bytes] = {}
    for record in records:
        assert record.row_hash == hashlib.sha256(record.row_digests).hexdigest()
        held.update(struct.iter_unpack(">q32s", record.row_digests))
    assert held == stored
    assert books.verify().ok


def test_a_failure_after_the_licence_index_was_dropped_leaves_everything_as_it_was(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fund(db, tmp_path)
    before = snapshot(db)
    _bulk(monkeypatch)
    calls: list[int] = []

    def fail_on_the_second_slice(*args: Any, **kwargs: Any) -> int:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return chain_rows(*args, **kwargs)

    monkeypatch.setattr(stored_filings, "chain_rows", fail_on_the_second_slice)
    with pytest.raises(RuntimeError, match="disk full"):
        import_filings(db, operator(db), write(tmp_path, "filings.csv", FILINGS))
    assert snapshot(db) == before
    assert _licence_index_present(db)


def test_each_filing_is_converted_at_its_own_days_rate(db: Database, tmp_path: Path) -> None:
    books = _fund(db, tmp_path)
    body = HEADER + (
        "L-NEW-TI,2025-08,royalty,1000000.00,UAH,R-1,1,0.00,2025-09-12\n"
        "L-NEW-TI,2025-08,royalty,1000000.00,UAH,R-2,1,0.00,2025-09-15\n"
        "L-NEW-TI,2025-08,royalty,1000000.00,UAH,R-3,1,0.00,2025-09-12\n"
    )
    import_filings(db, operator(db), write(tmp_path, "filings.csv", body))
    with db.read() as conn:
        rows = {r.payer_reference: r for r in filing_rows(conn)}
    # Half of 1,000,000.00 UAH at 40 and at 50 UAH per USD.
    assert {ref: r.reporting_minor for ref, r in rows.items()} == {
        "R-1": 12_500_00,
        "R-2": 10_000_00,
        "R-3": 12_500_00,
    }
    assert rows["R-1"].fx_rate == rows["R-3"].fx_rate == "USD/UAH 40.00 on 2025-09-12"
    assert rows["R-2"].fx_rate == "USD/UAH 50.00 on 2025-09-15"
    assert books.balance("Equity:Capital:UA:Contributions") == -35_000_00
    assert books.verify().ok


def test_filings_of_one_licence_on_both_sides_of_entry_into_force_decide_apart(
    db: Database, tmp_path: Path
) -> None:
    _fund(db, tmp_path)
    body = HEADER + (
        "L-NEW-TI,2025-08,royalty,1000000.00,UAH,R-1,1,0.00,2025-09-15\n"
        "L-NEW-TI,2025-04,royalty,1000000.00,UAH,R-2,1,0.00,2025-09-15\n"
        "L-NEW-TI,2025-09,royalty,1000000.00,UAH,R-3,1,0.00,2025-09-15\n"
    )
    done = import_filings(db, operator(db), write(tmp_path, "filings.csv", body))
    assert (done.booked, done.ineligible) == (3, 1)
    with db.read() as conn:
        rows = {r.payer_reference: r for r in filing_rows(conn)}
    assert [rows[ref].fund_minor for ref in ("R-1", "R-2", "R-3")] == [500_000_00, 0, 500_000_00]
    assert "precede entry into force" in (rows["R-2"].reason or "")
    assert rows["R-2"].entry_key is None and rows["R-2"].credit_account is None


def test_an_import_reports_each_stage_after_reading(db: Database, tmp_path: Path) -> None:
    _fund(db, tmp_path)
    counted: list[int] = []
    stages: list[str] = []
    done = import_filings(
        db,
        operator(db),
        write(tmp_path, "filings.csv", FILINGS),
        progress=counted.append,
        stage=stages.append,
    )
    assert counted and counted[-1] == done.filings
    assert stages == [
        f"deciding {done.filings} filings",
        f"booking {done.entries} ledger entries",
        f"storing {done.booked + done.corrected} filings",
    ]


def test_an_import_reads_only_the_rates_its_days_can_use_and_still_finds_them(
    db: Database, tmp_path: Path
) -> None:
    _fund(db, tmp_path)  # rates on 2025-09-12 (40) and 2025-09-15 (50)
    import_fx_rates(
        db,
        operator(db),
        write(tmp_path, "more.csv", "date,base,quote,rate\n2020-01-02,USD,UAH,25.00\n"),
        confirm_jumps=True,
    )
    with db.read() as conn:
        assert len(store.fx_rates.rate_table(conn)) == 3
        window = store.fx_rates.rate_table(conn, for_days=[date(2025, 9, 14), date(2025, 9, 22)])
    # From seven days before the first day (the oldest rate a conversion may use) to the last.
    assert [r.on for r in window] == [date(2025, 9, 12), date(2025, 9, 15)]

    body = HEADER + (
        "L-NEW-TI,2025-08,royalty,1000000.00,UAH,W-1,1,0.00,2025-09-14\n"  # the 12th
        "L-NEW-TI,2025-08,royalty,1000000.00,UAH,W-2,1,0.00,2025-09-22\n"  # the 15th, 7 days back
    )
    import_filings(db, operator(db), write(tmp_path, "filings.csv", body))
    with db.read() as conn:
        rates = {r.payer_reference: r.fx_rate for r in filing_rows(conn)}
    assert rates == {"W-1": "USD/UAH 40.00 on 2025-09-12", "W-2": "USD/UAH 50.00 on 2025-09-15"}

    late = HEADER + "L-NEW-TI,2025-08,royalty,1000000.00,UAH,W-3,1,0.00,2025-09-23\n"
    with pytest.raises(InputError, match="2025-09-23") as refused:
        import_filings(db, operator(db), write(tmp_path, "late.csv", late))
    assert refused.value.problems[0].field == "received_on"


@pytest.mark.postgres
def test_an_import_that_doubles_the_filings_updates_postgresqls_statistics(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL planned the next import's reference lookups from a table it thought empty
    and walked every row for each (8.6 s a query at 250,093 filings); a bulk import that at
    least doubles the table analyses it before it commits."""
    db = open_database(pg_url)
    try:
        _fund(db, tmp_path)
        _bulk(monkeypatch)
        import_filings(db, operator(db), write(tmp_path, "filings.csv", FILINGS))
        with db.read() as conn:
            analysed = conn.exec_driver_sql(
                "SELECT last_analyze FROM pg_stat_user_tables "
                "WHERE relname = 'filings' AND schemaname = current_schema()"
            ).scalar()
            known = conn.exec_driver_sql(
                "SELECT reltuples FROM pg_class WHERE oid = 'filings'::regclass"
            ).scalar()
    finally:
        db.dispose()
    assert analysed is not None
    assert known == 3, "the planner knows the rows the import stored"
