"""Replaying the journal in seq ranges, each in its own process, so a full verify uses every core.

Entries and postings are append-only (the database refuses edits), so a range read through a
second connection holds what the verifying snapshot holds, as long as it stops at that
snapshot's chain head. Each range is replayed on its own; the caller stitches them: a range's
first entry must link to the previous range's last hash, and the totals add up.
"""

from __future__ import annotations

import multiprocessing
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, select

from jointfund.i18n.message import Message
from jointfund.ledger import GENESIS_HASH, Checkpoint, Finding, JournalReplay
from jointfund.ledger.verify import BalanceKey
from jointfund.store.journal import iter_journal
from jointfund.store.tables.ledger import entries

PARALLEL_FROM = 40_000
"""Entries from which a full verify replays the journal in worker processes: below it, starting
them costs more than it saves (about 0.3 s; a core replays roughly 25k entries a second)."""


@dataclass(slots=True)
class RangeReplay:
    """What one range of the journal replayed to: its findings, sums and both ends."""

    first_seq: int
    first_prev: str | None
    last_seq: int
    last_hash: str | None
    entries: int = 0
    postings: int = 0
    findings: list[Finding] = field(default_factory=list)
    balances: dict[BalanceKey, int] = field(default_factory=dict)
    day_totals: dict[tuple[str, date], int] = field(default_factory=dict)
    through_balances: dict[BalanceKey, int] = field(default_factory=dict)
    checkpoint_seen: bool = False
    orphans_first: int = 0  # findings of postings with no entry, read before the first entry


def replay_range(
    url: str, after_seq: int, through_seq: int, checkpoint: Checkpoint | None
) -> RangeReplay:
    """Replay entries (after_seq, through_seq] read through a connection of its own."""
    from jointfund.store.database import open_database  # in the worker process

    db = open_database(url, migrate=False, pool=False)
    try:
        with db.read() as conn:
            return replay_here(conn, after_seq, through_seq, checkpoint)
    finally:
        db.dispose()


def replay_here(
    conn: Connection, after_seq: int, through_seq: int | None, checkpoint: Checkpoint | None
) -> RangeReplay:
    """Replay entries (after_seq, through_seq] (to the end when None) on `conn`: a worker's
    range, or the whole journal when one process verifies."""
    first = conn.execute(
        select(entries.c.seq, entries.c.prev_hash)
        .where(entries.c.seq > after_seq)
        .order_by(entries.c.seq)
        .limit(1)
    ).first()
    replay = JournalReplay()
    # Whether this range's first entry follows and links to the one before it is the
    # caller's check (`stitch`), so the range starts from what that entry says.
    replay.expected_seq = int(first.seq) if first is not None else after_seq + 1
    replay.prev_hash = str(first.prev_hash) if first is not None else ""
    through: dict[BalanceKey, int] = defaultdict(int)
    seen = False
    orphans_first = -1
    for part in iter_journal(conn, after_seq=after_seq, through_seq=through_seq):
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
        if orphans_first < 0:
            orphans_first = len(replay.findings)
        for stored in part.entries:
            replay.feed(stored)
            if checkpoint is None or stored.seq > checkpoint.last_seq:
                continue
            if stored.entry.effective_date <= checkpoint.through:
                for p in stored.entry.postings:
                    through[(p.account, p.currency)] += p.amount
            if stored.seq == checkpoint.last_seq:
                seen = True
                if stored.hash != checkpoint.last_hash:
                    replay.findings.append(
                        Finding(
                            Message(
                                "hash differs from the checkpoint of the close through "
                                "{through}: history before it was rewritten",
                                through=checkpoint.through,
                            ),
                            seq=stored.seq,
                            key=stored.entry.key,
                        )
                    )
    return RangeReplay(
        first_seq=int(first.seq) if first is not None else after_seq + 1,
        first_prev=str(first.prev_hash) if first is not None else None,
        last_seq=replay.expected_seq - 1,
        last_hash=replay.prev_hash if replay.entries else None,
        entries=replay.entries,
        postings=replay.postings,
        findings=replay.findings,
        balances=dict(replay.balances),
        day_totals=dict(replay.day_totals),
        through_balances=dict(through),
        checkpoint_seen=seen,
        orphans_first=max(orphans_first, 0),
    )


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` processes forked from a clean server process (`forkserver`), never
    from the caller, which may be a threaded web server."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["jointfund.store.journal_ranges"])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


def start_ranges(
    pool: ProcessPoolExecutor, url: str, head_seq: int, checkpoint: Checkpoint | None, workers: int
) -> list[Future[RangeReplay]]:
    """Start replaying [1, head_seq] in `workers` equal ranges, each in a process of `pool`."""
    bounds = [head_seq * k // workers for k in range(workers + 1)]
    futures = [
        pool.submit(replay_range, url, bounds[k], bounds[k + 1], checkpoint)
        for k in range(workers)
        if bounds[k + 1] > bounds[k]
    ]
    return futures


def stitch(ranges: Sequence[RangeReplay]) -> JournalReplay:
    """One replay from consecutive ranges: their links checked, their findings in chain order,
    their sums added."""
    joined = JournalReplay()
    balances: dict[BalanceKey, int] = defaultdict(int)
    days: dict[tuple[str, date], int] = defaultdict(int)
    prev_hash, prev_seq = GENESIS_HASH, 0
    for part in ranges:
        # In chain order, as one process reads it: the first page's stray postings, then the
        # first entry's links to the range before, then the rest.
        joined.findings.extend(part.findings[: part.orphans_first])
        if part.entries and part.first_seq != prev_seq + 1:
            joined.findings.append(
                Finding(
                    Message(
                        "sequence gap: expected #{value}, found #{first_seq}",
                        value=prev_seq + 1,
                        first_seq=part.first_seq,
                    ),
                    seq=part.first_seq,
                )
            )
        if part.entries and part.first_prev != prev_hash:
            joined.findings.append(
                Finding(
                    Message("previous-hash link does not match the entry before it"),
                    seq=part.first_seq,
                )
            )
        joined.findings.extend(part.findings[part.orphans_first :])
        for key, amount in part.balances.items():
            balances[key] += amount
        for day_key, amount in part.day_totals.items():
            days[day_key] += amount
        joined.entries += part.entries
        joined.postings += part.postings
        if part.last_hash is not None:
            prev_hash, prev_seq = part.last_hash, part.last_seq
    joined.balances, joined.day_totals = balances, days
    joined.expected_seq, joined.prev_hash = prev_seq + 1, prev_hash
    return joined
