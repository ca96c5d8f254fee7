"""NAV counts every currency the fund holds, translated at the latest central-bank rate."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jointfund.fund.demo import build_demo
from jointfund.fund.metrics import nav_on
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
        nav = nav_on(conn, day)
        expected = usd + convert(uah, "UAH", "USD", day, rate_table(conn), max_age_days=31)
    assert nav.untranslated == {}
    assert nav.cash == expected
    # The example's rates end on 20 Nov 2026: months later the UAH is listed, never guessed.
    with db.read() as conn:
        stale = nav_on(conn, date(2027, 6, 30))
    assert stale.untranslated == {"Assets:Cash:UAH": books.balance("Assets:Cash:UAH")}
    assert stale.cash == books.balance("Assets:Cash:USD")
