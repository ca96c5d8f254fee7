"""Books from before revision 0031 get the rent filings counted per period, day received and
resources, the fund's share per stream and day received (0032) and the register of accruals
per day and per year and licence (0033), from their filings; the calendar (its counts of rent, the cycle's accruals) and
the fund's share by month are the same as before."""

from __future__ import annotations

from datetime import date

from sqlalchemy import create_engine, text

from jointfund.fund import calendar, cycle_report
from jointfund.store import open_database
from jointfund.store.books import Books
from jointfund.store.database import code_heads
from jointfund.store.fund_share import fund_share_by_month
from tests.operator import operator
from tests.reports.report_fixtures import built_demo
from tests.store.migration_rewind import rewind


def test_upgrade_counts_the_rent_days_and_the_calendar_is_unchanged(db_url: str) -> None:
    db = built_demo(db_url)
    day = date(2026, 12, 31)
    before = calendar.compliance_calendar(db, operator(db), as_of=day)
    cycle = cycle_report.cycle_report(db, operator(db), as_of=day)
    assert any(p.lines for p in cycle.periods)
    with db.read() as conn:
        kept = sorted(tuple(r) for r in conn.execute(text("SELECT * FROM filing_rent_days")))
        shares = fund_share_by_month(conn, "UAH")
    assert kept and shares and before.rent_counts is not None and before.rent_counts.met > 0
    db.dispose()
    engine = create_engine(db_url)
    with engine.begin() as conn:  # the books as revision 0030 left them
        conn.execute(text("DROP TABLE filing_rent_days"))
        conn.execute(text("DROP TABLE filing_fund_days"))
        conn.execute(text("DROP TABLE filing_accrual_days"))
        conn.execute(text("DROP TABLE filing_accrual_licences"))
        rewind(conn, "0030")
    engine.dispose()
    upgraded = open_database(db_url)
    try:
        with upgraded.read() as conn:
            rebuilt = sorted(tuple(r) for r in conn.execute(text("SELECT * FROM filing_rent_days")))
            assert fund_share_by_month(conn, "UAH") == shares
            heads = set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
        assert rebuilt == kept and heads == code_heads()
        after = calendar.compliance_calendar(upgraded, operator(upgraded), as_of=day)
        assert after == before
        assert cycle_report.cycle_report(upgraded, operator(upgraded), as_of=day) == cycle
        assert Books(upgraded).verify().ok
    finally:
        upgraded.dispose()
