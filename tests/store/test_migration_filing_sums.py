"""Books from before revision 0030 get the all-years sums per licence and the sums per year and
stream, summed from their filings, and the public page's every-year view reads them: the same
tables and totals as before, and the books still verify."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from jointfund.fund.public_tables import tables_in
from jointfund.fund.transparency_data import totals_in
from jointfund.store import open_database
from jointfund.store.books import Books
from jointfund.store.database import code_heads
from tests.reports.report_fixtures import built_demo
from tests.store.migration_rewind import rewind

_SUMS = "sum(payments), sum(gross_minor), sum(fund_minor), sum(budget_minor), sum(reporting_minor)"
_BY_LICENCE = f"SELECT licence_id, currency, {_SUMS} FROM filing_totals GROUP BY 1, 2"
_BY_YEAR = f"SELECT fiscal_year, stream, currency, {_SUMS} FROM filing_totals GROUP BY 1, 2, 3"


def test_upgrade_keeps_the_sums_per_licence_and_per_year_and_the_public_view_is_unchanged(
    db_url: str,
) -> None:
    db = built_demo(db_url)
    with db.read() as conn:
        tables, (totals, years) = tables_in(conn, None), totals_in(conn, None)
        by_licence = sorted(tuple(r) for r in conn.execute(text(_BY_LICENCE)))
        by_year = sorted(tuple(r) for r in conn.execute(text(_BY_YEAR)))
    assert tables.projects and by_licence and by_year
    db.dispose()
    engine = create_engine(db_url)
    with engine.begin() as conn:  # the books as revision 0029 left them
        conn.execute(text("DROP TABLE filing_licences"))
        conn.execute(text("DROP TABLE filing_year_streams"))
        rewind(conn, "0029")
    engine.dispose()
    upgraded = open_database(db_url)
    try:
        with upgraded.read() as conn:
            for table, expected in (
                ("filing_licences", by_licence),
                ("filing_year_streams", by_year),
            ):
                kept = sorted(tuple(r) for r in conn.execute(text(f"SELECT * FROM {table}")))
                assert kept == expected, table
            assert tables_in(conn, None) == tables
            assert totals_in(conn, None) == (totals, years)
            heads = set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
        assert heads == code_heads()
        report = Books(upgraded).verify()
        assert report.ok, report.findings[:3]
    finally:
        upgraded.dispose()
