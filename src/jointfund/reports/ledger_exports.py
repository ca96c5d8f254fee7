"""The journal and the balances as tables for CSV and XLSX exports."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from jointfund.ledger import PostedEntry
from jointfund.reports.tables import Cell, Table, major

JOURNAL_COLUMNS = (
    "seq",
    "date",
    "key",
    "kind",
    "memo",
    "account",
    "amount",
    "currency",
    "amount_minor",
    "hash",
)
BALANCE_COLUMNS = ("account", "currency", "partner", "balance", "balance_minor")


@dataclass(frozen=True, slots=True)
class BalanceLine:
    """One account's balance in minor units (debit-positive)."""

    account: str
    currency: str
    amount: int
    partner: str | None = None


def journal_table(
    entries: Iterable[PostedEntry], *, progress: Callable[[int], None] | None = None
) -> Table:
    """One row per posting, entries in chain order; `progress` gets the entries done so far."""
    rows: list[tuple[Cell, ...]] = []
    for done, stored in enumerate(entries, start=1):
        e = stored.entry
        for p in e.postings:
            rows.append(
                (
                    stored.seq,
                    e.effective_date,
                    e.key,
                    e.kind,
                    e.memo,
                    p.account,
                    major(p.amount, p.currency),
                    p.currency,
                    p.amount,
                    stored.hash,
                )
            )
        if progress is not None and done % 500 == 0:
            progress(done)
    return Table("journal", JOURNAL_COLUMNS, tuple(rows))


def balances_table(lines: Sequence[BalanceLine], *, name: str = "balances") -> Table:
    """One row per account with a balance."""
    rows = tuple(
        (b.account, b.currency, b.partner, major(b.amount, b.currency), b.amount) for b in lines
    )
    return Table(name, BALANCE_COLUMNS, rows)
