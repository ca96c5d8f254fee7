"""The demo fund `make run` builds: the U.S.–Ukraine fund's first real contributions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jointfund.errors import ConflictError
from jointfund.ledger import Account, Entry, Posting
from jointfund.store import Database, Ledger, is_empty, upgrade, wipe

OPENED = date(2025, 5, 23)  # the agreement entered into force on 23 May 2025

DEMO_ACCOUNTS = (
    Account("Assets:Cash:USD", "USD", OPENED, non_negative=True),
    Account("Equity:Capital:US", "USD", OPENED, partner="US"),
    Account("Equity:Capital:UA", "USD", OPENED, partner="UA"),
)


def _contribution(key: str, on: date, partner: str, cents: int, memo: str) -> Entry:
    return Entry(
        key=key,
        effective_date=on,
        kind="contribution",
        postings=(
            Posting("Assets:Cash:USD", cents, "USD"),
            Posting(f"Equity:Capital:{partner}", -cents, "USD"),
        ),
        memo=memo,
        metadata={
            "partner": partner,
            "source": "https://caliber.az/en/post/us-ukraine-each-pledge-75-million-to-joint-reconstruction-fund",
        },
    )


DEMO_ENTRIES = (
    _contribution(
        "demo:dfc-2025-09", date(2025, 9, 17), "US", 75_000_000_00, "DFC cash contribution"
    ),
    _contribution(
        "demo:ua-2025-12",
        date(2025, 12, 15),
        "UA",
        37_500_000_00,
        "Ukraine cash contribution, first half",
    ),
    _contribution(
        "demo:ua-2026-03",
        date(2026, 3, 16),
        "UA",
        37_500_000_00,
        "Ukraine cash contribution, second half",
    ),
)


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What the demo build did."""

    accounts: int
    entries: int


def build_demo(db: Database, *, force: bool = False) -> DemoResult:
    """Build the demo fund; refuse a database that holds data unless `force` wipes it first."""
    if not is_empty(db):
        if not force:
            raise ConflictError(
                "the database is not empty; use --force to replace it with the demo"
            )
        wipe(db)
        upgrade(db)
    books = Ledger(db)
    for account in DEMO_ACCOUNTS:
        books.open_account(account)
    posted = books.post_many(DEMO_ENTRIES)
    return DemoResult(accounts=len(DEMO_ACCOUNTS), entries=len(posted))
