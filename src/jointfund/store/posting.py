"""Posting batches of entries: one transaction, idempotent by key, chained by hash."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from psycopg.errors import UniqueViolation
from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError as DBIntegrityError

from jointfund.clock import stamp_now
from jointfund.errors import (
    ConflictError,
    InputError,
    JointfundError,
    NotFoundError,
    OverdraftError,
    Problem,
    UnbalancedEntryError,
)
from jointfund.i18n.message import Message
from jointfund.ledger import (
    Account,
    Entry,
    PostResult,
    chain_hash,
    content_hash,
    entry_problems,
    natural_sign,
    plainly_valid,
)
from jointfund.ledger.hashing import canonical_json
from jointfund.store.accounts import accounts_by_name
from jointfund.store.bulk_rows import bulk_insert, row_sink
from jointfund.store.closes import closed_through
from jointfund.store.head import lock_books, lock_head
from jointfund.store.ledger_range import check_range, refuse_beyond_range
from jointfund.store.ledger_rules import rule_problems as rule_problems  # fund reads it here
from jointfund.store.tables.ledger import balances, entries, ledger_head
from jointfund.store.upsert import add_to_totals

# An entry that passed the shape checks, with its canonical metadata and content hash.
_Prepared = tuple[Entry, str, str]


_ENTRY_COLUMNS = (
    "seq",
    "key",
    "effective_date",
    "booked_at",
    "kind",
    "memo",
    "metadata",
    "links",
    "reverses_seq",
    "prev_hash",
    "hash",
)


_POSTING_COLUMNS = ("entry_seq", "idx", "account_id", "amount", "currency")


def check_shape(batch: Sequence[Entry]) -> list[_Prepared]:
    """Refuse malformed entries before any database work; hash the rest."""
    failures: list[tuple[int, str, str]] = []
    for i, entry in enumerate(batch):
        if not plainly_valid(entry):
            refuse_beyond_range(entry)  # the cause, before what follows from it (its metadata)
            failures.extend((i, f, m) for f, m in entry_problems(entry))
    if failures:
        if {(i, f) for i, f, _ in failures} == {(failures[0][0], "postings")}:
            messages = "; ".join(m for _, _, m in failures)
            raise UnbalancedEntryError(
                Message("entry {key}: {messages}", key=batch[failures[0][0]].key, messages=messages)
            )
        raise InputError(Problem(m, row=i + 1, field=f) for i, f, m in failures)
    prepared: list[_Prepared] = []
    for entry in batch:
        meta = canonical_json(entry.metadata) if entry.metadata else "{}"
        prepared.append((entry, meta, content_hash(entry, meta)))
    return prepared


@dataclass(frozen=True, slots=True)
class _Stored:
    seq: int
    prev_hash: str
    booked_at: str
    hash: str

    def holds(self, content: str) -> bool:
        """Whether the stored entry has exactly this content (its chain hash commits to it)."""
        return chain_hash(self.prev_hash, self.seq, self.booked_at, content) == self.hash


def _existing(conn: Connection, keys: list[str]) -> dict[str, _Stored]:
    found: dict[str, _Stored] = {}
    cols = (entries.c.key, entries.c.seq, entries.c.prev_hash, entries.c.booked_at, entries.c.hash)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        for row in conn.execute(select(*cols).where(entries.c.key.in_(chunk))):
            found[row.key] = _Stored(int(row.seq), row.prev_hash, row.booked_at, row.hash)
    return found


def _reversal_targets(
    conn: Connection, batch: Sequence[Entry], seq_of: dict[str, int]
) -> dict[str, int]:
    """Map each reversal's key to the seq of the entry it reverses, refusing double reversal."""
    targets: dict[str, int] = {}
    wanted = {e.key: str(e.metadata.get("reverses", "")) for e in batch if e.kind == "reversal"}
    if not wanted:
        return targets
    missing = sorted({k for k in wanted.values() if k not in seq_of})
    for key, hit in _existing(conn, missing).items():
        seq_of[key] = hit.seq
    taken = set(
        conn.execute(
            select(entries.c.reverses_seq).where(
                entries.c.reverses_seq.in_([seq_of[k] for k in wanted.values() if k in seq_of])
            )
        ).scalars()
    )
    for key, original in wanted.items():
        if original not in seq_of:
            raise NotFoundError(
                Message(
                    "reversal {key} names no posted entry {original!r}", key=key, original=original
                )
            )
        seq = seq_of[original]
        if seq in taken:
            raise ConflictError(Message("entry {original} is already reversed", original=original))
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
    for row in conn.execute(
        select(balances.c.account_id, balances.c.amount).where(balances.c.account_id.in_(ids))
    ):
        running[row.account_id] = int(row.amount)
    for entry in batch:
        for posting in entry.postings:
            hit = guarded.get(posting.account)
            if hit is None:
                continue
            running[hit[0]] += posting.amount
            if running[hit[0]] * natural_sign(hit[1].type) < 0:
                raise OverdraftError(
                    Message(
                        "entry {key} would take {account} below zero ({running} {currency})",
                        key=entry.key,
                        account=posting.account,
                        running=running[hit[0]],
                        currency=posting.currency,
                    )
                )


def post_batch(conn: Connection, batch: Sequence[Entry]) -> list[PostResult]:
    """Post `batch` inside the caller's write transaction; all of it or (by raising) none."""
    if not batch:  # an upload whose share accrues books no entry: no head to read, no savepoint
        lock_books(conn)
        return []
    prepared = check_shape(batch)
    head = lock_head(conn)
    keys = list(dict.fromkeys(p[0].key for p in prepared))
    # Most batches are new: insert optimistically and look keys up only if one already exists.
    try:
        with conn.begin_nested():
            return _post_prepared(conn, prepared, head, keys, {})
    except (DBIntegrityError, UniqueViolation) as exc:
        if "key" not in str(exc):
            raise
    except JointfundError:
        pass  # a refusal may stem from keys already posted; the careful path decides
    return _post_prepared(conn, prepared, head, keys, _existing(conn, keys))


def _post_prepared(
    conn: Connection,
    prepared: list[_Prepared],
    head: tuple[int, str],
    keys: list[str],
    stored: dict[str, _Stored],
) -> list[PostResult]:
    last_seq = head[0]
    results: dict[str, PostResult] = {}
    fresh: list[_Prepared] = []
    fresh_content: dict[str, str] = {}
    for item in prepared:
        key = item[0].key
        if key in stored:
            hit = stored[key]
            if not hit.holds(item[2]):
                raise ConflictError(
                    Message(
                        "idempotency key {key} was used for an entry with other content", key=key
                    )
                )
            results[key] = PostResult(hit.seq, key, hit.hash, created=False)
        elif key in fresh_content:
            if fresh_content[key] != item[2]:
                raise ConflictError(
                    Message("idempotency key {key} appears twice with other content", key=key)
                )
        else:
            fresh_content[key] = item[2]
            fresh.append(item)
    if not fresh:
        return [results[k] for k in keys]

    new_entries = [p[0] for p in fresh]
    known = accounts_by_name(conn, (p.account for e in new_entries for p in e.postings))
    problems = rule_problems(new_entries, known, closed_through(conn))
    if problems:
        raise problems[0][1]
    seq_of = {key: hit.seq for key, hit in stored.items()}
    seq_of.update({p[0].key: last_seq + 1 + i for i, p in enumerate(fresh)})
    reverses = _reversal_targets(conn, new_entries, seq_of)
    _check_overdrafts(conn, new_entries, known)

    deltas: dict[int, int] = defaultdict(int)
    days: dict[tuple[int, date], int] = defaultdict(int)
    prev = _write_journal(conn, fresh, known, reverses, head, results, (deltas, days))
    # Checked after the rows went to the driver (they stream there) but before the totals
    # move: a refusal rolls the whole transaction back.
    check_range(conn, new_entries, known, deltas, days)
    pg = conn.dialect.name == "postgresql"
    add_to_totals(conn, "balances", ("account_id",), list(deltas.items()))
    add_to_totals(
        conn,
        "day_totals",
        ("account_id", "day"),
        [(a, d if pg else d.isoformat(), v) for (a, d), v in days.items()],
    )
    conn.execute(
        update(ledger_head)
        .where(ledger_head.c.id == 1)
        .values(last_seq=last_seq + len(fresh), last_hash=prev)
    )
    return [results[k] for k in keys]


def _write_journal(
    conn: Connection,
    fresh: list[_Prepared],
    known: dict[str, tuple[int, Account]],
    reverses: dict[str, int],
    head: tuple[int, str],
    results: dict[str, PostResult],
    totals: tuple[dict[int, int], dict[tuple[int, date], int]],
) -> str:
    """Chain, then store the entries and their postings, adding each posting to `totals`
    (per account, per account and day); return the new head hash.

    Each entry row is handed to the driver as soon as its hash is known, so on PostgreSQL
    the server stores it while the next one is hashed and its postings are totalled.
    """
    deltas, days = totals
    last_seq, prev = head
    booked_at = stamp_now()
    as_text = conn.dialect.name != "postgresql"
    posting_rows: list[tuple[Any, ...]] = []
    with row_sink(conn, "entries", _ENTRY_COLUMNS) as put:
        for seq, (entry, metadata_json, content) in enumerate(fresh, start=last_seq + 1):
            chained = chain_hash(prev, seq, booked_at, content)
            when = entry.effective_date
            put(
                (
                    seq,
                    entry.key,
                    when.isoformat() if as_text else when,
                    booked_at,
                    entry.kind,
                    entry.memo,
                    metadata_json,
                    json.dumps(list(entry.links)) if entry.links else "[]",
                    reverses.get(entry.key),
                    prev,
                    chained,
                )
            )
            for idx, posting in enumerate(entry.postings):
                account_id, amount = known[posting.account][0], posting.amount
                posting_rows.append((seq, idx, account_id, amount, posting.currency))
                deltas[account_id] += amount
                days[(account_id, when)] += amount
            results[entry.key] = PostResult(seq, entry.key, chained, created=True)
            prev = chained
    bulk_insert(conn, "postings", _POSTING_COLUMNS, posting_rows)
    return prev
