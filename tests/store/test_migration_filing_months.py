"""Books made before revision 0027 get their monthly filing sums again, keyed by period and
the licence's resources, with the same inflows, and `verify` stays green."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, text

from jointfund.store import open_database
from jointfund.store.books import Books
from jointfund.store.database import code_heads
from jointfund.store.filing_totals import inflows_by_month
from tests.reports.report_fixtures import built_demo
from tests.store.migration_rewind import rewind

_OLD_SHAPE = (
    "CREATE TABLE filing_months (period VARCHAR(7) NOT NULL, licence_id VARCHAR(64) NOT NULL, "
    "payments BIGINT NOT NULL, eligible_usd_minor BIGINT NOT NULL, "
    "PRIMARY KEY (period, licence_id))"
)
_OLD_SUMS = (
    "INSERT INTO filing_months SELECT f.period, f.licence_id, count(*), "
    "sum(CASE WHEN f.eligible THEN f.reporting_minor ELSE 0 END) FROM filings f "
    "WHERE NOT EXISTS (SELECT 1 FROM filings g WHERE g.payer_reference = f.payer_reference "
    "AND g.version > f.version) GROUP BY f.period, f.licence_id"
)


def test_upgrade_keys_the_monthly_sums_by_resources_with_the_same_inflows(db_url: str) -> None:
    db = built_demo(db_url)
    with db.read() as conn:
        inflows = sorted(inflows_by_month(conn))
    assert inflows and any(usd for _, _, usd in inflows)
    db.dispose()
    engine = create_engine(db_url)
    with engine.begin() as conn:  # the books as revision 0018 left them (0027 onwards to run)
        conn.execute(text("DROP TABLE filing_months"))
        conn.execute(text(_OLD_SHAPE))
        conn.execute(text(_OLD_SUMS))
        rewind(conn, "0018")
        old_rows = conn.execute(text("SELECT count(*) FROM filing_months")).scalar_one()
    engine.dispose()
    upgraded = open_database(db_url)
    try:
        with upgraded.read() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("filing_months")}
            rows = conn.execute(text("SELECT count(*) FROM filing_months")).scalar_one()
            assert sorted(inflows_by_month(conn)) == inflows
            heads = set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
        assert "resources" in columns and "licence_id" not in columns
        assert rows < old_rows, "a row per period and resource list, not per licence"
        assert heads == code_heads()
        report = Books(upgraded).verify()
        assert report.ok, report.findings[:3]
    finally:
        upgraded.dispose()
