"""A small chart of accounts and entry builders shared by the ledger tests."""

from __future__ import annotations

from datetime import date

from jointfund.ledger import Account, Entry, Posting
from jointfund.store.books import Books

OPEN = date(2025, 1, 1)
CHART = (
    Account("Assets:Cash:USD", "USD", OPEN, non_negative=True),
    Account("Assets:Cash:UAH", "UAH", OPEN),
    Account("Equity:Capital:US", "USD", OPEN, partner="US"),
    Account("Equity:Capital:UA", "USD", OPEN, partner="UA"),
    Account("Income:Royalty:lithium", "USD", OPEN),
    Account("Income:Royalty:UAH", "UAH", OPEN),
    Account("Expenses:Fees", "USD", OPEN),
)


def books_with_chart(books: Books) -> Books:
    """Open the shared chart of accounts on `books`."""
    for account in CHART:
        books.open_account(account)
    return books


def transfer(key: str, on: date, debit: str, credit: str, cents: int, ccy: str = "USD") -> Entry:
    """A two-posting entry moving `cents` from `credit` to `debit`."""
    return Entry(
        key=key,
        effective_date=on,
        kind="transfer",
        postings=(Posting(debit, cents, ccy), Posting(credit, -cents, ccy)),
        memo=f"{key} memo",
        metadata={"n": cents},
    )
