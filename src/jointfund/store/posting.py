"""Posting batches of entries: one transaction, idempotent by key, chained by hash."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from jointfund.errors import (
    AccountStateError,
    ClosedPeriodError,
    ConflictError,
    InputError,
    LedgerError,
    NotFoundError,
    OverdraftError,
    Problem,
    UnbalancedEntryError,
)
from jointfund.ledger import Account, Entry, PostResult, chain_hash, content_hash, natural_sign
from jointfund.ledger.hashing import canonical_json
from jointfund.store.accounts_repo import accounts_by_name
from jointfund.store.schema import balances, day_totals, entries, ledger_head, period_closes, postings
from jointfund.store.upsert import add_to_totals


@dataclass(frozen=True, slots=True)
class _Prepared:
    entry: Entry
    content: str


def booked_now() -> str:
    """The booking timestamp: UTC, microseconds, fixed width so it hashes one way."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def check_shape(batch: Sequence[Entry]) -> list[_Prepared]:
    """Refuse malformed entries before any database work; hash the rest."""
    from jointfund.ledger import entry_problems

    failures: list[tuple[int, str, str]] = []
    for i, entry in enumerate(batch):
        failures.extend((i, f, m) for f, m in entry_problems(entry))
    if failures:
        if len(failures) == 1 and failures[0][1] == "postings":
            raise UnbalancedEntryError(f"entry {batch[failures[0][0]].key}: {failures[0][2]}")
        raise InputError(Problem(m, row=i + 1, field=f) for i, f, m in failures)
    return [_Prepared(e, content_hash(e)) for e in batch]


def closed_through(conn: Connection) -> date | None:
    """The last day of the latest closed period, if any."""
    value: date | None = conn.execute(select(func.max(period_closes.c.through))).scalar()
    return value


def rule_problems(
    batch: Sequence[Entry], known: dict[str, tuple[int, Account]], closed: date | None
) -> list[tuple[int, LedgerError]]:
    """Every ledger rule the batch breaks, by index: accounts, currencies, closed periods."""
    found: list[tuple[int, LedgerError]] = []
    for i, entry in enumerate(batch):
        if closed is not None and entry.effective_date <= closed:
            found.append(
                (
                    i,
                    ClosedPeriodError(
                        f"entry {entry.key} is dated {entry.effective_date}, "
                        f"inside the period closed through {closed}"
                    ),
                )
            )
        for posting in entry.postings:
            hit = known.get(posting.account)
            if hit is None:
                found.append((i, AccountStateError(f"no account {posting.account}")))
                continue
            account = hit[1]
            if posting.currency != account.currency:
                found.append(
                    (
                        i,
                        AccountStateError(
                            f"account {account.name} holds {account.currency}, "
                            f"not {posting.currency}"
                        ),
                    )
                )
            if not account.is_open_on(entry.effective_date):
                found.append(
                    (
                        i,
                        AccountStateError(
                            f"account {account.name} is not open on {entry.effective_date}"
                        ),
                    )
                )
    return found


def _existing(conn: Connection, keys: list[str]) -> dict[str, tuple[int, str, str]]:
    found: dict[str, tuple[int, str, str]] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        rows = conn.execute(
            select(entries.c.key, entries.c.seq, entries.c.content_hash, entries.c.hash).where(
                entries.c.key.in_(chunk)
            )
        )
        for row in rows:
            found[row.key] = (row.seq, row.content_hash, row.hash)
    return found


def _lock_head(conn: Connection) -> tuple[int, str]:
    stmt = select(ledger_head.c.last_seq, ledger_head.c.last_hash).where(ledger_head.c.id == 1)
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    row = conn.execute(stmt).one()
    return int(row.last_seq), str(row.last_hash)


def _reversal_targets(
    conn: Connection, batch: Sequence[Entry], seq_of: dict[str, int]
) -> dict[str, int]:
    """Map each reversal's key to the seq of the entry it reverses, refusing double reversal."""
    targets: dict[str, int] = {}
    wanted = {e.key: str(e.metadata.get("reverses", "")) for e in batch if e.kind == "reversal"}
    if not wanted:
        return targets
    missing = sorted({k for k in wanted.values() if k not in seq_of})
    for key, (seq, _, _) in _existing(conn, missing).items():
        seq_of[key] = seq
    taken = set(
        conn.execute(
            select(entries.c.reverses_seq).where(
                entries.c.reverses_seq.in_([seq_of[k] for k in wanted.values() if k in seq_of])
            )
        ).scalars()
    )
    for key, original in wanted.items():
        if original not in seq_of:
            raise NotFoundError(f"reversal {key} names no posted entry {original!r}")
        seq = seq_of[original]
        if seq in taken:
            raise ConflictError(f"entry {original} is already reversed")
        taken.add(seq)
        targets[key] = seq
    return targets


def _check_overdrafts(
    conn: Connection, batch: Sequence[Entry], known: dict[str, tuple[int, Account]]
) -> None:
    guarded = {name: hit for name, hit in known.items() if hit[1].non_negative}
    if not guarded:
        return
    ids = [hit[0] for hit in guarded.values()]
    running: dict[int, int] = defaultdict(int)
    running.update(
        conn.execute(
            select(balances.c.account_id, balances.c.amount).where(balances.c.account_id.in_(ids))
        )
        .tuples()
        .all()
    )
    for entry in batch:
        for posting in entry.postings:
            hit = guarded.get(posting.account)
            if hit is None:
                continue
            running[hit[0]] += posting.amount
            if running[hit[0]] * natural_sign(hit[1].type) < 0:
                raise OverdraftError(
                    f"entry {entry.key} would take {posting.account} below zero "
                    f"({running[hit[0]]} {posting.currency})"
                )


def post_batch(conn: Connection, batch: Sequence[Entry]) -> list[PostResult]:
    """Post `batch` inside the caller's write transaction; all of it or (by raising) none."""
    prepared = check_shape(batch)
    last_seq, last_hash = _lock_head(conn)
    keys = list(dict.fromkeys(p.entry.key for p in prepared))
    stored = _existing(conn, keys)
    results: dict[str, PostResult] = {}
    fresh: list[_Prepared] = []
    fresh_content: dict[str, str] = {}
    for item in prepared:
        key = item.entry.key
        if key in stored:
            seq, content, chained = stored[key]
            if content != item.content:
                raise ConflictError(f"idempotency key {key} was used for an entry with other content")
            results[key] = PostResult(seq, key, chained, created=False)
        elif key in fresh_content:
            if fresh_content[key] != item.content:
                raise ConflictError(f"idempotency key {key} appears twice with other content")
        else:
            fresh_content[key] = item.content
            fresh.append(item)
    if not fresh:
        return [results[k] for k in keys]
    new_entries = [p.entry for p in fresh]
    known = accounts_by_name(conn, (p.account for e in new_entries for p in e.postings))
    problems = rule_problems(new_entries, known, closed_through(conn))
    if problems:
        raise problems[0][1]
    seq_of = {key: seq for key, (seq, _, _) in stored.items()}
    seq_of.update({p.entry.key: last_seq + 1 + i for i, p in enumerate(fresh)})
    reverses = _reversal_targets(conn, new_entries, seq_of)
    _check_overdrafts(conn, new_entries, known)

    booked_at = booked_now()
    entry_rows: list[dict[str, Any]] = []
    posting_rows: list[dict[str, Any]] = []
    deltas: dict[int, int] = defaultdict(int)
    days: dict[tuple[int, date], int] = defaultdict(int)
    prev = last_hash
    for i, item in enumerate(fresh):
        entry, seq = item.entry, last_seq + 1 + i
        chained = chain_hash(prev, seq, booked_at, item.content)
        entry_rows.append(
            {
                "seq": seq,
                "key": entry.key,
                "effective_date": entry.effective_date,
                "booked_at": booked_at,
                "kind": entry.kind,
                "memo": entry.memo,
                "metadata": canonical_json(entry.metadata),
                "links": json.dumps(list(entry.links)),
                "reverses_seq": reverses.get(entry.key),
                "content_hash": item.content,
                "prev_hash": prev,
                "hash": chained,
            }
        )
        for idx, posting in enumerate(entry.postings):
            account_id = known[posting.account][0]
            posting_rows.append(
                {
                    "entry_seq": seq,
                    "idx": idx,
                    "account_id": account_id,
                    "amount": posting.amount,
                    "currency": posting.currency,
                }
            )
            deltas[account_id] += posting.amount
            days[(account_id, entry.effective_date)] += posting.amount
        results[entry.key] = PostResult(seq, entry.key, chained, created=True)
        prev = chained
    conn.execute(entries.insert(), entry_rows)
    conn.execute(postings.insert(), posting_rows)
    add_to_totals(
        conn, balances, ["account_id"], [{"account_id": a, "amount": v} for a, v in deltas.items()]
    )
    add_to_totals(
        conn,
        day_totals,
        ["account_id", "day"],
        [{"account_id": a, "day": d, "amount": v} for (a, d), v in days.items()],
    )
    conn.execute(
        update(ledger_head)
        .where(ledger_head.c.id == 1)
        .values(last_seq=last_seq + len(fresh), last_hash=prev)
    )
    return [results[k] for k in keys]
