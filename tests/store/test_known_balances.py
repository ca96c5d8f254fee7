"""The balances as known at a moment equal the sum of every posting effective by the day and
booked by the moment, whichever way they are read: from the kept day totals less what was
booked later, as the statements read them, or posting by posting."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from jointfund.store import Database
from jointfund.store.known import balances_known
from jointfund.store.tables.ledger import accounts, entries, postings
from tests.reports.report_fixtures import built_demo


def _posting_by_posting(db: Database, as_of: date, known_at: str) -> dict[str, int]:
    with db.read() as conn:
        rows = conn.execute(
            select(accounts.c.name, func.sum(postings.c.amount))
            .join(postings, postings.c.account_id == accounts.c.id)
            .join(entries, entries.c.seq == postings.c.entry_seq)
            .where(entries.c.effective_date <= as_of, entries.c.booked_at <= known_at)
            .group_by(accounts.c.name)
        )
        return {name: int(amount) for name, amount in rows if amount}


def test_known_balances_match_the_postings_at_every_moment_of_the_books(db_url: str) -> None:
    db = built_demo(db_url)
    try:
        with db.read() as conn:
            stamps = sorted(set(conn.execute(select(entries.c.booked_at)).scalars()))
            days = sorted(set(conn.execute(select(entries.c.effective_date)).scalars()))
        assert len(stamps) >= 3
        moments = [stamps[0], stamps[len(stamps) // 2], stamps[-2], stamps[-1]]
        first, last = days[0], days[-1]
        first = first if isinstance(first, date) else date.fromisoformat(str(first))
        last = last if isinstance(last, date) else date.fromisoformat(str(last))
        checked = 0
        for known_at in moments:
            for as_of in (first, first + (last - first) / 2, last, last + timedelta(days=1)):
                with db.read() as conn:
                    found = {r.account: r.amount for r in balances_known(conn, as_of, known_at)}
                assert found == _posting_by_posting(db, as_of, known_at), (as_of, known_at)
                checked += bool(found)
        assert checked >= 8
    finally:
        db.dispose()
