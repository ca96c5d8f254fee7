"""Verifying only what follows a kept checkpoint: the checkpoint's own proof, then every entry,
row-chain record and row added since, and the stored totals those touch.

A partner's checkpoint pins the journal's hash at `last_seq` and the row chain's at `rows_seq`;
everything chained before them is covered by those hashes, so recomputing the two anchors and
relinking from them proves the history after them. What the shortcut cannot see (an earlier
row or entry edited in place while its stored hashes were left alone) is what the full verify
is for: the report says which of the two ran.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select, tuple_

from jointfund.errors import NotFoundError
from jointfund.i18n.message import Message
from jointfund.ledger import Checkpoint, Finding, JournalReplay, VerifyReport
from jointfund.ledger.hashing import GENESIS_HASH, chain_hash, content_hash
from jointfund.ledger.verify import BalanceKey
from jointfund.store.database import code_heads
from jointfund.store.head import chain_head
from jointfund.store.journal import get_entry, iter_journal
from jointfund.store.row_chain import PROTECTED, SLICE_ITEM, VERSIONED, RowCanon, link_hash
from jointfund.store.row_chain import row_head as stored_row_head
from jointfund.store.row_chain_verify import record_findings
from jointfund.store.schema_guards import guard_findings
from jointfund.store.tables.chain import row_chain
from jointfund.store.tables.ledger import (
    accounts,
    balances,
    day_totals,
    entries,
    metadata,
    postings,
)
from jointfund.store.versions_verify import versioned_findings

NOT_COVERED = (
    "rows and entries chained before the checkpoint are trusted to its hashes: an in-place "
    "edit there that left the stored hashes alone is found only by the full verify"
)


def verify_since(conn: Connection, checkpoint: Checkpoint, page: int = 2000) -> VerifyReport:
    """Verify the books from `checkpoint` on; the report counts only what followed it."""
    replay = JournalReplay()
    replay.findings.extend(_journal_anchor(conn, checkpoint))
    replay.expected_seq, replay.prev_hash = checkpoint.last_seq + 1, checkpoint.last_hash
    for part in iter_journal(conn, after_seq=checkpoint.last_seq):
        for seq in part.orphans:
            replay.findings.append(
                Finding(
                    Message(
                        "postings exist for missing entry #{seq}",
                        seq=seq,
                    ),
                    seq=seq,
                )
            )
        for stored in part.entries:
            replay.feed(stored)
    head = chain_head(conn)
    if (head.seq, head.hash) != (replay.expected_seq - 1, replay.prev_hash):
        replay.findings.append(
            Finding(
                Message(
                    "chain head says #{seq}, journal ends at #{value}",
                    seq=head.seq,
                    value=replay.expected_seq - 1,
                )
            )
        )
    replay.findings.extend(_balance_findings(conn, checkpoint, replay))
    replay.findings.extend(_rows_since(conn, checkpoint, page))
    for name in VERSIONED:
        replay.findings.extend(versioned_findings(conn, metadata.tables[name], page))
    replay.findings.extend(guard_findings(conn, heads=code_heads()))
    return replace(replay.report(), since_seq=checkpoint.last_seq)


def _journal_anchor(conn: Connection, checkpoint: Checkpoint) -> list[Finding]:
    """The checkpoint's own proof: its last entry still hashes to the hash the partner kept."""
    if checkpoint.last_seq == 0:
        ok = checkpoint.last_hash == GENESIS_HASH
        return (
            [] if ok else [Finding(Message("checkpoint of an empty ledger has a non-genesis hash"))]
        )
    try:
        stored = get_entry(conn, seq=checkpoint.last_seq)
    except NotFoundError:
        return [
            Finding(
                Message(
                    "checkpoint entry #{last_seq} is missing from the journal",
                    last_seq=checkpoint.last_seq,
                )
            )
        ]
    recomputed = chain_hash(
        stored.prev_hash, stored.seq, stored.booked_at, content_hash(stored.entry)
    )
    if stored.hash == recomputed == checkpoint.last_hash:
        return []
    return [
        Finding(
            Message(
                "hash differs from the checkpoint of the close through "
                "{through}: history before it was rewritten",
                through=checkpoint.through,
            ),
            seq=stored.seq,
            key=stored.entry.key,
        )
    ]


def _dated_after_close(conn: Connection, checkpoint: Checkpoint) -> Iterator[tuple[Any, ...]]:
    """(account, currency, day, amount) summed over the entries chained before the checkpoint
    but dated after its day: the close's balances leave them out, the stored totals hold
    them. Summed by the database: they are trusted to the checkpoint's hash like everything
    chained before it, and decoding each (72,858 of them in a registry's books) took 2 s."""
    rows = conn.execute(
        select(
            accounts.c.name,
            postings.c.currency,
            entries.c.effective_date,
            func.sum(postings.c.amount),
        )
        .select_from(entries)
        .join(postings, postings.c.entry_seq == entries.c.seq)
        .join(accounts, accounts.c.id == postings.c.account_id)
        .where(
            entries.c.effective_date > checkpoint.through,
            entries.c.seq <= checkpoint.last_seq,
        )
        .group_by(accounts.c.name, postings.c.currency, entries.c.effective_date)
    )
    for name, currency, day, amount in rows:
        yield name, currency, day, int(amount)


def _balance_findings(
    conn: Connection, checkpoint: Checkpoint, replay: JournalReplay
) -> list[Finding]:
    """Stored balances against the checkpoint's plus every posting since; stored day totals
    after the close against the postings dated then; before it, against the checkpoint."""
    want: dict[BalanceKey, int] = defaultdict(int)
    for account, by_currency in checkpoint.balances.items():
        for currency, amount in by_currency.items():
            want[(account, currency)] += amount
    days: dict[tuple[str, date], int] = defaultdict(int)
    for account, currency, day, amount in _dated_after_close(conn, checkpoint):
        want[(account, currency)] += amount
        days[(account, day)] += amount
    for key, amount in replay.balances.items():
        want[key] += amount
    for (account, day), amount in replay.day_totals.items():
        days[(account, day)] += amount
    found: list[Finding] = []
    have = {
        (r.name, r.currency): int(r.amount)
        for r in conn.execute(
            select(accounts.c.name, accounts.c.currency, balances.c.amount).join(
                balances, balances.c.account_id == accounts.c.id
            )
        )
    }
    for key in sorted(set(want) | set(have)):
        if want.get(key, 0) != have.get(key, 0):
            found.append(
                Finding(
                    Message(
                        "stored balance {value} {key_1} differs from the checkpoint's "
                        "balance plus the journal since, {value2}",
                        value=have.get(key, 0),
                        key_1=key[1],
                        value2=want.get(key, 0),
                    ),
                    account=key[0],
                )
            )
    named = select(accounts.c.name, day_totals.c.day, day_totals.c.amount).join(
        day_totals, day_totals.c.account_id == accounts.c.id
    )
    later: dict[tuple[str, date], int] = {
        (r.name, r.day): int(r.amount)
        for r in conn.execute(named.where(day_totals.c.day > checkpoint.through))
    }
    for day_key in sorted(set(days) | set(later)):
        if days.get(day_key, 0) != later.get(day_key, 0):
            found.append(
                Finding(
                    Message(
                        "stored total for {day_key_1} is {value}, journal says {value2}",
                        day_key_1=day_key[1],
                        value=later.get(day_key, 0),
                        value2=days.get(day_key, 0),
                    ),
                    account=day_key[0],
                )
            )
    closed: dict[str, int] = {}
    for r in conn.execute(
        select(accounts.c.name, func.sum(day_totals.c.amount).label("amount"))
        .join(day_totals, day_totals.c.account_id == accounts.c.id)
        .where(day_totals.c.day <= checkpoint.through)
        .group_by(accounts.c.name)
    ):
        closed[r.name] = int(r.amount or 0)
    kept = {a: sum(c.values()) for a, c in checkpoint.balances.items()}
    for account in sorted(set(closed) | set(kept)):
        if closed.get(account, 0) != kept.get(account, 0):
            found.append(
                Finding(
                    Message(
                        "stored day totals through {through} sum to {value}, the "
                        "checkpoint says {value2}",
                        through=checkpoint.through,
                        value=closed.get(account, 0),
                        value2=kept.get(account, 0),
                    ),
                    account=account,
                )
            )
    return found


def _rows_since(conn: Connection, checkpoint: Checkpoint, page: int) -> list[Finding]:
    """The row chain from the checkpoint's record on, and the rows those records hold."""
    found: list[Finding] = []
    if checkpoint.rows_seq is None or checkpoint.rows_hash is None:
        return [Finding(Message("this checkpoint predates the row chain: run the full verify"))]
    kept_seq, prev = checkpoint.rows_seq, checkpoint.rows_hash
    c = row_chain.c
    columns = (c.seq, c.table_name, c.row_key, c.row_hash, c.prev_hash, c.hash, c.row_digests)
    if kept_seq == 0:
        if prev != GENESIS_HASH:
            found.append(
                Finding(Message("checkpoint of an empty row chain has a non-genesis hash"))
            )
    else:
        anchor = conn.execute(select(*columns).where(c.seq == kept_seq)).first()
        relinked = anchor is not None and link_hash(
            anchor.prev_hash, kept_seq, anchor.table_name, anchor.row_key, anchor.row_hash
        )
        if anchor is None or relinked != anchor.hash or anchor.hash != prev:
            found.append(
                Finding(
                    Message(
                        "row-chain record #{kept_seq} differs from the checkpoint of "
                        "the close through {through}: the row chain before it was "
                        "rewritten",
                        kept_seq=kept_seq,
                        through=checkpoint.through,
                    )
                )
            )
    expected = kept_seq + 1
    added: dict[str, int] = defaultdict(int)
    stmt = select(*columns).where(c.seq > kept_seq).order_by(c.seq)
    for part in conn.execute(stmt.execution_options(yield_per=page)).partitions():
        held: dict[str, dict[str, str]] = defaultdict(dict)
        for seq, name, key, digest, linked_to, linked, blob in part:
            problems = []
            if seq != expected:
                problems.append(
                    Message(
                        "sequence gap, expected #{expected}",
                        expected=expected,
                    )
                )
            if linked_to != prev:
                problems.append(Message("link to the record before it broken"))
            if link_hash(linked_to, seq, name, key, digest) != linked:
                problems.append(Message("does not match its hash"))
            if blob is None:
                held[name][key] = digest
                added[name] += 1
            elif hashlib.sha256(bytes(blob)).hexdigest() != digest:
                problems.append(Message("its row digests do not match its hash"))
            else:
                for row_id, row_digest in SLICE_ITEM.iter_unpack(bytes(blob)):
                    held[name][str(row_id)] = row_digest.hex()
                    added[name] += 1
            found.extend(record_findings(seq, name, key, problems))
            expected, prev = int(seq) + 1, linked
        for name, digests in held.items():
            found.extend(_held_rows(conn, name, digests))
    if stored_row_head(conn) != (expected - 1, prev):
        found.append(
            Finding(
                Message(
                    "row-chain head says a record other than #{value}",
                    value=expected - 1,
                )
            )
        )
    found.extend(_count_findings(conn, checkpoint, added))
    return found


def _held_rows(conn: Connection, name: str, digests: dict[str, str]) -> list[Finding]:
    """Each row the records since the checkpoint hold, against the digest they hold for it."""
    if name not in metadata.tables:
        return [
            Finding(
                Message(
                    "the row chain holds records of {name!r}, which it does not protect",
                    name=name,
                )
            )
        ]
    table = metadata.tables[name]
    canon = RowCanon(table)
    pk = list(table.primary_key.columns)
    if name in VERSIONED:
        return []  # versioned tables are relinked in full (they are small)
    keys = [canon.key_values(key) for key in digests]
    present: dict[str, str] = {}
    for start in range(0, len(keys), 500):
        part = keys[start : start + 500]
        match = pk[0].in_([k[0] for k in part]) if len(pk) == 1 else tuple_(*pk).in_(part)
        for row in conn.execute(select(table).where(match)):
            key, digest = canon.hashed(tuple(row))
            present[key] = digest
    found = []
    for key, digest in digests.items():
        if key not in present:
            found.append(
                Finding(
                    Message(
                        "{name} row {key} is missing: chained after the checkpoint, "
                        "then deleted or renumbered behind the books' back",
                        name=name,
                        key=key,
                    ),
                    row=f"{name}:{key}",
                )
            )
        elif present[key] != digest:
            found.append(
                Finding(
                    Message(
                        "{name} row {key} differs from its row-chain record: edited "
                        "behind the books' back",
                        name=name,
                        key=key,
                    ),
                    row=f"{name}:{key}",
                )
            )
    return found


def _count_findings(
    conn: Connection, checkpoint: Checkpoint, added: dict[str, int]
) -> list[Finding]:
    """Rows per protected table: what the checkpoint counted plus what was chained since."""
    if checkpoint.row_counts is None:
        return []
    found = []
    for name in PROTECTED:
        table = metadata.tables[name]
        have = int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)
        want = checkpoint.row_counts.get(name, 0) + added.get(name, 0)
        if have != want:
            found.append(
                Finding(
                    Message(
                        "{name} holds {have} rows; the checkpoint counted {value} and "
                        "{value2} were chained since: rows inserted or deleted behind "
                        "the books' back",
                        name=name,
                        have=have,
                        value=checkpoint.row_counts.get(name, 0),
                        value2=added.get(name, 0),
                    ),
                    row=f"{name}:*",
                )
            )
    return found
