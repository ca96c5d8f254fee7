"""The Beancount export passes bean-check and carries the same balances."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from beancount import loader
from beancount.core import realization

from jointfund.reports.beancount_text import beancount_account, beancount_lines
from jointfund.store import Database
from jointfund.store.books import Books

from ..ledger.books_fixtures import books_with_chart, transfer


def test_export_loads_cleanly_with_the_same_balances(db: Database) -> None:
    books = books_with_chart(Books(db))
    books.post(
        transfer("a", date(2025, 9, 17), "Assets:Cash:USD", "Equity:Capital:US", 7_500_000_000)
    )
    books.post(
        transfer("b", date(2025, 10, 2), "Assets:Cash:USD", "Income:Royalty:lithium", 12_345)
    )
    books.post(transfer("c", date(2025, 10, 3), "Expenses:Fees", "Assets:Cash:USD", 99))
    books.reverse("c", new_key="c-rev", on=date(2025, 10, 4))
    text = "\n".join(beancount_lines(books.accounts(), books.journal(limit=1000)))
    entries, errors, _ = loader.load_string(text)
    assert errors == []
    tree = realization.realize(entries)
    for row in books.balances():
        node = realization.get(tree, beancount_account(row.account))
        got = node.balance.get_currency_units(row.currency).number
        assert got == Decimal(row.amount) / 100, row.account
    assert beancount_account("Income:Royalty:lithium") == "Income:Royalty:Lithium"
