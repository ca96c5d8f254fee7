"""Costly reads kept between requests (the overview's position and inflow series, the public
totals and tables) answer what the books say now: a change through any use case is seen at
once, and an answer is reused only while the books stay as they were. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import event, func, select

from jointfund import store
from jointfund.fund import transparency_data
from jointfund.fund.filings import import_filings
from jointfund.fund.metrics import fund_metrics
from jointfund.fund.position import position_in
from jointfund.fund.public_tables import pages_in, public_pages, tables_in
from jointfund.fund.rates import import_fx_rates
from jointfund.fund.report_data import inflow_series
from jointfund.fund.transparency_data import transparency_totals
from jointfund.governance import User
from jointfund.intake.filings import COLUMNS
from jointfund.store import Database
from jointfund.store.filing_reads import FilingRow
from jointfund.store.tables.registry import fx_rates
from tests.operator import operator
from tests.reports.report_fixtures import built_demo

ALL = 10_000  # rows a page: the demo's whole tables


def _correct_to_one_hryvnia(db: Database, admin: User, stored: FilingRow, folder: Path) -> None:
    """Import a correction of `stored` to 1.00 through the filings use case."""
    later = folder / "later.csv"
    later.write_text(
        ",".join(COLUMNS)
        + f"\n{stored.licence_id},{stored.period},{stored.stream},1.00,"
        + f"{stored.currency},{stored.payer_reference},{stored.version + 1},0.00,"
        + f"{stored.received_on.isoformat()}\n"
    )
    assert import_filings(db, admin, later).corrected == 1


def test_a_new_rate_is_seen_by_the_next_position_and_an_unchanged_one_is_reused(
    db_url: str, tmp_path: Path
) -> None:
    db = built_demo(db_url)
    try:
        admin = operator(db)
        with db.read() as tx:
            last = tx.execute(select(func.max(fx_rates.c.on))).scalar_one()
        last = (
            last if not isinstance(last, str) else __import__("datetime").date.fromisoformat(last)
        )
        as_of = last + timedelta(days=5)
        before = fund_metrics(db, admin, as_of=as_of)
        again = fund_metrics(db, admin, as_of=as_of)
        assert again.position is before.position, "same books: the kept answer"
        [uah] = [line for line in before.nav.cash_lines if line.currency == "UAH"]
        assert uah.rate is not None and uah.amount
        rates = tmp_path / "fx.csv"
        newer = (uah.rate * Decimal("1.05")).quantize(Decimal("0.0001"))
        rates.write_text(f"date,base,quote,rate\n{last + timedelta(days=1)},USD,UAH,{newer}\n")
        import_fx_rates(db, admin, rates)
        after = fund_metrics(db, admin, as_of=as_of)
        [moved] = [line for line in after.nav.cash_lines if line.currency == "UAH"]
        assert moved.rate == newer and moved.usd != uah.usd
        with db.read() as tx:
            assert after.position == position_in(tx, as_of), "what a fresh read gives"
    finally:
        db.dispose()


def test_a_correction_is_seen_by_the_next_inflow_series_and_nothing_is_read_again_before(
    db_url: str, tmp_path: Path
) -> None:
    db = built_demo(db_url)
    try:
        admin = operator(db)
        series, months = inflow_series(db, admin)
        asked: list[str] = []

        def seen(_c: object, _cur: object, statement: str, *_rest: object) -> None:
            asked.append(statement)

        event.listen(db.engine, "before_cursor_execute", seen)
        assert inflow_series(db, admin) == (series, months)
        assert not [s for s in asked if "filing_months" in s], "kept: the sums are not read"
        with db.read() as tx:
            stored = max(store.filing_reads.filing_rows(tx), key=lambda r: r.fund_minor)
        _correct_to_one_hryvnia(db, admin, stored, tmp_path)
        corrected, _ = inflow_series(db, admin)
        assert corrected != series
        assert [s for s in asked if "filing_months" in s], "the books moved: read again"
        event.remove(db.engine, "before_cursor_execute", seen)
    finally:
        db.dispose()


def test_the_public_tables_and_totals_see_a_correction_at_once(db_url: str, tmp_path: Path) -> None:
    db = built_demo(db_url)
    try:
        admin = operator(db)
        with db.read() as tx:
            stored = max(store.filing_reads.filing_rows(tx), key=lambda r: r.fund_minor)
        year = int(stored.period[:4])
        tables = public_pages(db, year, "", "", limit=ALL)
        totals, years = transparency_totals(db, year)
        assert public_pages(db, year, "", "", limit=ALL) is tables, "same books: the kept answer"
        assert transparency_totals(db, year)[0] is totals
        [before] = [p for p in tables.projects.rows if p.licence_id == stored.licence_id]
        _correct_to_one_hryvnia(db, admin, stored, tmp_path)
        after = public_pages(db, year, "", "", limit=ALL)
        [moved] = [p for p in after.projects.rows if p.licence_id == stored.licence_id]
        assert moved.fund_share_usd_minor < before.fund_share_usd_minor
        corrected, _ = transparency_totals(db, year)
        assert corrected.totals != totals.totals
        with db.read() as tx:
            assert after == pages_in(tx, year, "", "", limit=ALL), "what a fresh read gives"
            whole = tables_in(tx, year)
            assert (after.companies.rows, after.projects.rows) == (whole.companies, whole.projects)
            assert (corrected, years) == transparency_data.totals_in(tx, year), "a fresh read"
    finally:
        db.dispose()
