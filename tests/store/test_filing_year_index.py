"""A year's filings in id order (`GET /api/filings?year=`) are read along an index of the year
and the id, not by walking every filing since the first: 315 ms a page at ten million filings
when the year was matched with LIKE on each row."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, create_engine, event, text

from jointfund.store import open_database
from jointfund.store.books import Books
from jointfund.store.database import code_heads, schema_revision
from jointfund.store.filing_reads import filing_page
from jointfund.store.indexes import index_names
from tests.reports.report_fixtures import built_demo
from tests.store.migration_rewind import rewind


def _plan(conn: Connection, dialect: str, sql: str, params: Any) -> str:
    if dialect == "sqlite":
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)
        return " ".join(str(r[-1]) for r in rows)
    conn.execute(text("SET LOCAL enable_seqscan = off"))  # the demo's table is tiny
    return " ".join(str(r[0]) for r in conn.exec_driver_sql("EXPLAIN " + sql, params))


def test_a_years_filings_come_in_id_order_along_the_year_index(db_url: str) -> None:
    db = built_demo(db_url)
    try:
        with db.read() as conn:
            everything = filing_page(conn, limit=1_000_000)
            years = sorted({int(r.period[:4]) for r in everything})
            assert len(years) >= 2, years
            for year in years:
                got: list[int] = []
                after = 0
                while page := filing_page(conn, year=year, after_id=after, limit=7):
                    got += [r.id for r in page]
                    after = page[-1].id
                assert got == [r.id for r in everything if r.period.startswith(f"{year}-")]
            assert filing_page(conn, year=1999) == []
            seen: list[tuple[str, Any]] = []

            def keep(_c: Any, _cur: Any, sql: str, params: Any, _ctx: Any, _many: bool) -> None:
                seen.append((sql, params))

            event.listen(conn, "before_cursor_execute", keep)
            filing_page(conn, year=years[-1], after_id=3, limit=50)
            event.remove(conn, "before_cursor_execute", keep)
            assert "ix_filings_year" in index_names(conn, "filings")
            plan = _plan(conn, db.dialect, *seen[-1])
            assert "ix_filings_year" in plan, plan
    finally:
        db.dispose()


def test_books_from_before_the_index_get_it_and_still_verify(db_url: str) -> None:
    built_demo(db_url).dispose()
    engine = create_engine(db_url)
    with engine.begin() as conn:  # the books as revision 0028 left them
        conn.execute(text("DROP INDEX ix_filings_year"))
        rewind(conn, "0028")
    engine.dispose()
    upgraded = open_database(db_url)
    try:
        with upgraded.read() as conn:
            assert "ix_filings_year" in index_names(conn, "filings")
        assert set((schema_revision(upgraded) or "").split(",")) == code_heads()
        report = Books(upgraded).verify()
        assert report.ok, report.findings[:3]
    finally:
        upgraded.dispose()
