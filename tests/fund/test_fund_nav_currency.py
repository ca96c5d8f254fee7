"""NAV counts every currency the fund holds, translated at the latest central-bank rate."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jointfund.fund.demo import build_demo
from jointfund.fund.position import nav_lines
from jointfund.money import convert
from jointfund.store import open_database
from jointfund.store.books import Books
from jointfund.store.fx_rates import rate_table


def test_uah_cash_is_in_nav_at_the_rate_of_the_day(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "fund.db"))
    build_demo(db)
    day = date(2026, 10, 31)
    books = Books(db)
    usd = books.balance("Assets:Cash:USD", day)
    uah = books.balance("Assets:Cash:UAH", day)
    assert uah > 0
    with db.read() as conn:
        rates = rate_table(conn)
        nav = nav_lines(conn, day, rates)
        expected = usd + convert(uah, "UAH", "USD", day, rates, max_age_days=31)
    assert nav.untranslated == {} and nav.complete
    assert nav.cash == expected
    # The example's rates end on 20 Nov 2026: months later the UAH is still in NAV at the last
    # rate, marked stale as of its date, never dropped.
    later = date(2027, 6, 30)
    with db.read() as conn:
        rates = rate_table(conn)
        stale = nav_lines(conn, later, rates)
    line = next(x for x in stale.cash_lines if x.currency == "UAH")
    assert line.status == "stale" and line.rate_date == date(2026, 11, 20)
    assert stale.cash == books.balance("Assets:Cash:USD") + convert(
        books.balance("Assets:Cash:UAH"), "UAH", "USD", date(2026, 11, 20), rates
    )


def test_a_currency_with_no_rate_at_all_leaves_nav_incomplete(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "fund.db"))
    build_demo(db)
    with db.read() as conn:
        first = min(r.on for r in rate_table(conn))
        nav = nav_lines(conn, date(2030, 1, 1), rate_table(conn).__class__([]))
    assert first <= date(2025, 9, 15)
    assert not nav.complete
    assert "Assets:Cash:UAH" in nav.untranslated
