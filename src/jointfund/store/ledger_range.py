"""The exact range of the books: every amount, balance and day total fits 64 bits, checked
before a batch is written, and refused naming the entry (an importer locates its row)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Connection, select

from jointfund.bounds import INT_RANGE
from jointfund.errors import OutOfRangeError
from jointfund.i18n.message import Message
from jointfund.ledger import Account, Entry
from jointfund.store.tables.ledger import balances, day_totals

LIMIT = INT_RANGE[1]
"""The largest magnitude a stored amount, balance or day total may take (SQLite INTEGER and
PostgreSQL BIGINT are both 64-bit; past it SQLite turns to inexact REAL and PostgreSQL
refuses): the bound every reader already checks metadata integers against."""


def check_range(
    conn: Connection,
    batch: Sequence[Entry],
    known: dict[str, tuple[int, Account]],
    deltas: dict[int, int],
    days: dict[tuple[int, date], int],
) -> None:
    """Refuse a batch after which a balance or a day total would leave 64-bit minor units."""
    names = {hit[0]: name for name, hit in known.items()}
    stored = _stored_totals(conn, list(deltas), deltas, days)
    for account_id, delta in deltas.items():
        after = stored[0].get(account_id, 0) + delta
        if not -LIMIT - 1 <= after <= LIMIT:
            _refuse(batch, names[account_id], after, None)
    for (account_id, day), delta in days.items():
        after = stored[1].get((account_id, day), 0) + delta
        if not -LIMIT - 1 <= after <= LIMIT:
            _refuse(batch, names[account_id], after, day)


def _near_limit(moves: Sequence[int]) -> int:
    """Stored totals with a magnitude at or below this stay in range whatever `moves` add: only
    those above it need reading (none, in any real fund)."""
    return max(0, LIMIT - max((abs(m) for m in moves), default=0))


def _stored_totals(
    conn: Connection,
    ids: list[int],
    deltas: dict[int, int],
    days: dict[tuple[int, date], int],
) -> tuple[dict[int, int], dict[tuple[int, date], int]]:
    """The stored balance of each account and day total of each (account, day) touched whose
    magnitude a move of this batch could carry out of range; the rest are left in the
    database (reading every day total of a batch's span cost a third of a bulk post)."""
    found: dict[int, int] = {}
    near = _near_limit(list(deltas.values()))
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = conn.execute(
            select(balances.c.account_id, balances.c.amount).where(
                balances.c.account_id.in_(chunk),
                (balances.c.amount > near) | (balances.c.amount < -near),
            )
        )
        found.update((int(r.account_id), int(r.amount)) for r in rows)
    on_days: dict[tuple[int, date], int] = {}
    if days:
        first, last = min(d for _, d in days), max(d for _, d in days)
        near = _near_limit(list(days.values()))
        rows = conn.execute(
            select(day_totals.c.account_id, day_totals.c.day, day_totals.c.amount).where(
                day_totals.c.account_id.in_(ids),
                day_totals.c.day.between(first, last),
                (day_totals.c.amount > near) | (day_totals.c.amount < -near),
            )
        )
        for r in rows:
            day = date.fromisoformat(r.day) if isinstance(r.day, str) else r.day
            on_days[(int(r.account_id), day)] = int(r.amount)
    return found, on_days


def refuse_beyond_range(entry: Entry) -> None:
    """A posting, or a sum an entry records in its metadata, that no 64-bit total could hold is
    refused as out of range, naming its entry, so an importer locates the row that carries it
    (as it does a total that would overflow); stored, the metadata would fail `verify`."""
    account = entry.postings[0].account if entry.postings else ""
    for name, value in entry.metadata.items() if isinstance(entry.metadata, dict) else ():
        if type(value) is int and not -LIMIT - 1 <= value <= LIMIT:
            raise OutOfRangeError(
                Message(
                    "entry {key} records {amount} as its {name}, beyond the {limit:,} the "
                    "books can hold exactly",
                    key=entry.key,
                    amount=value,
                    name=name,
                    limit=LIMIT,
                ),
                account=account,
                key=entry.key,
                day=entry.effective_date,
            )
    for posting in entry.postings:
        amount = posting.amount
        if type(amount) is int and not -LIMIT - 1 <= amount <= LIMIT:
            raise OutOfRangeError(
                Message(
                    "entry {key} moves {amount} minor units on {account}, beyond the {limit:,} "
                    "the books can hold exactly",
                    key=entry.key,
                    amount=amount,
                    account=posting.account,
                    limit=LIMIT,
                ),
                account=posting.account,
                key=entry.key,
                day=entry.effective_date,
            )


def _refuse(batch: Sequence[Entry], account: str, after: int, day: date | None) -> None:
    key = next((e.key for e in batch for p in e.postings if p.account == account), "")
    where = Message("its total on {day}", day=day) if day is not None else Message("its balance")
    raise OutOfRangeError(
        Message(
            "entry {key} would take {where} of {account} to {after} minor units, beyond the "
            "{limit:,} the books can hold exactly",
            key=key,
            where=where,
            account=account,
            after=after,
            limit=LIMIT,
        ),
        account=account,
        key=key,
        day=day,
    )
