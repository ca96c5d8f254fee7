"""Verifying the stored books against their journal, chain and kept checkpoint."""

from __future__ import annotations

import json
from collections import defaultdict
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date

from sqlalchemy import Connection, or_, select

from jointfund.i18n.message import Message
from jointfund.ledger import GENESIS_HASH, Checkpoint, Finding, JournalReplay, VerifyReport
from jointfund.ledger.verify import BalanceKey
from jointfund.store.database import code_heads
from jointfund.store.filing_totals import totals_findings
from jointfund.store.head import chain_head
from jointfund.store.journal import iter_journal
from jointfund.store.journal_ranges import (
    PARALLEL_FROM,
    RangeReplay,
    replay_here,
    start_ranges,
    stitch,
    worker_pool,
)
from jointfund.store.row_chain_verify import row_findings
from jointfund.store.schema_guards import guard_findings
from jointfund.store.tables.ledger import accounts, balances, day_totals, entries


def _stored_balances(conn: Connection) -> dict[BalanceKey, int]:
    rows = conn.execute(
        select(accounts.c.name, accounts.c.currency, balances.c.amount).join(
            balances, balances.c.account_id == accounts.c.id
        )
    )
    return {(r.name, r.currency): int(r.amount) for r in rows if r.amount}


def _stored_days(conn: Connection) -> dict[tuple[str, date], int]:
    rows = conn.execute(
        select(accounts.c.name, day_totals.c.day, day_totals.c.amount).join(
            day_totals, day_totals.c.account_id == accounts.c.id
        )
    )
    return {(r.name, r.day): int(r.amount) for r in rows if r.amount}


def verify_books(
    conn: Connection,
    checkpoint: Checkpoint | None = None,
    *,
    url: str | None = None,
    workers: int = 1,
    parallel_from: int = PARALLEL_FROM,
) -> VerifyReport:
    """Recompute chain, content hashes and balances; compare with what is stored.

    With the database's `url` and more than one worker, a journal of `parallel_from` entries
    or more is replayed in worker processes while this one checks the row chain.
    """
    head = chain_head(conn)
    parallel = url is not None and workers > 1 and head.seq >= max(parallel_from, workers)
    # One more process than ranges: it sums the filings while the ranges replay the journal.
    pool = worker_pool(workers + 1) if parallel else None
    started = start_ranges(pool, str(url), head.seq, checkpoint, workers) if pool else None
    totals = pool.submit(totals_elsewhere, str(url)) if pool else None
    try:
        local = None if started is not None else _replay_here(conn, checkpoint)
        # While the workers replay the journal and sum the filings, this process checks the
        # row chain.
        rows = row_findings(conn, checkpoint)
        summed = totals.result() if totals is not None else None
    except BaseException:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        raise
    later = list(rows)
    if not any((f.row or "").startswith("filings:") for f in rows):
        # Sums of filings found changed would only repeat that finding.
        later.extend(summed if summed is not None else totals_findings(conn))
    later.extend(guard_findings(conn, heads=code_heads()))
    if pool is not None and started is not None:
        replay, through_balances, checkpoint_seen = _gathered(
            conn, pool, started, checkpoint, head.seq
        )
    else:
        assert local is not None
        replay, through_balances, checkpoint_seen = local
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
    replay.compare_balances(_stored_balances(conn), _stored_days(conn))
    replay.findings.extend(_orphan_totals(conn))
    replay.findings.extend(_reversal_link_findings(conn))
    replay.findings.extend(later)
    if checkpoint is not None:
        _compare_checkpoint(replay, checkpoint, checkpoint_seen, through_balances)
    return replay.report()


Replayed = tuple[JournalReplay, dict[tuple[str, str], int], bool]
"""(replay, balances through the checkpoint's day, whether the checkpoint's entry was seen)."""


def totals_elsewhere(url: str) -> list[Finding]:
    """`totals_findings` in a worker process, through a connection of its own (the filings
    and their kept sums are written in one transaction, so any snapshot holds both alike)."""
    from jointfund.store.database import open_database  # in the worker process

    db = open_database(url, migrate=False, pool=False)
    try:
        with db.read() as conn:
            return totals_findings(conn)
    finally:
        db.dispose()


def _gathered(
    conn: Connection,
    pool: ProcessPoolExecutor,
    futures: list[Future[RangeReplay]],
    checkpoint: Checkpoint | None,
    head_seq: int,
) -> Replayed:
    """The workers' ranges stitched into one replay, plus what lies past the head."""
    try:
        parts = [f.result() for f in futures]
    finally:
        pool.shutdown()
    replay = stitch(parts)
    through_balances: dict[tuple[str, str], int] = defaultdict(int)
    for part in parts:
        for key, amount in part.through_balances.items():
            through_balances[key] += amount
    seen = _empty_close(replay, checkpoint) or any(p.checkpoint_seen for p in parts)
    _past_head(conn, replay, head_seq)
    return replay, through_balances, seen


def _empty_close(replay: JournalReplay, checkpoint: Checkpoint | None) -> bool:
    """A close of an empty ledger points at the genesis hash, which no entry carries."""
    if checkpoint is None or checkpoint.last_seq != 0:
        return False
    if checkpoint.last_hash != GENESIS_HASH:
        replay.findings.append(
            Finding(Message("checkpoint of an empty ledger has a non-genesis hash"))
        )
    return True


def _replay_here(conn: Connection, checkpoint: Checkpoint | None) -> Replayed:
    """The whole journal replayed in this process: one range, stitched like the workers'."""
    part = replay_here(conn, 0, None, checkpoint)
    replay = stitch([part])
    seen = _empty_close(replay, checkpoint) or part.checkpoint_seen
    return replay, defaultdict(int, part.through_balances), seen


def _past_head(conn: Connection, replay: JournalReplay, head_seq: int) -> None:
    """Feed what this snapshot holds past the chain head (the workers stop there): entries
    or postings put there behind the books' back."""
    for page in iter_journal(conn, after_seq=head_seq):
        for seq in page.orphans:
            replay.findings.append(
                Finding(
                    Message(
                        "postings exist for missing entry #{seq}",
                        seq=seq,
                    ),
                    seq=seq,
                )
            )
        for stored in page.entries:
            replay.feed(stored)


def _orphan_totals(conn: Connection) -> list[Finding]:
    """Totals kept for an account that does not exist (a row no posting could have made)."""
    found: list[Finding] = []
    for table in (balances, day_totals):
        rows = conn.execute(
            select(table.c.account_id)
            .where(table.c.account_id.not_in(select(accounts.c.id)))
            .distinct()
        )
        found.extend(
            Finding(
                Message(
                    "{name} holds a total for account id {account_id}, which does not exist",
                    name=table.name,
                    account_id=r.account_id,
                ),
                account=f"#{r.account_id}",
            )
            for r in rows
        )
    return found


def _reversal_link_findings(conn: Connection) -> list[Finding]:
    """The unhashed `reverses_seq` link must point at the entry the hashed metadata names."""
    original = entries.alias("original")
    rows = conn.execute(
        select(entries.c.seq, entries.c.key, entries.c.metadata, original.c.key.label("target"))
        .select_from(entries.outerjoin(original, original.c.seq == entries.c.reverses_seq))
        .where(or_(entries.c.reverses_seq.is_not(None), entries.c.kind == "reversal"))
        .order_by(entries.c.seq)
    )
    found: list[Finding] = []
    for row in rows:
        named = json.loads(row.metadata).get("reverses")
        if named != row.target:
            found.append(
                Finding(
                    Message(
                        "reversal link points at {target!r}, its content names {named!r}",
                        target=row.target,
                        named=named,
                    ),
                    seq=row.seq,
                    key=row.key,
                )
            )
    return found


def _compare_checkpoint(
    replay: JournalReplay,
    checkpoint: Checkpoint,
    seen: bool,
    through_balances: dict[tuple[str, str], int],
) -> None:
    if not seen:
        replay.findings.append(
            Finding(
                Message(
                    "checkpoint entry #{last_seq} is missing from the journal",
                    last_seq=checkpoint.last_seq,
                )
            )
        )
    if replay.entries < checkpoint.entry_count:
        replay.findings.append(
            Finding(
                Message(
                    "journal has {entries} entries, checkpoint saw {entry_count}",
                    entries=replay.entries,
                    entry_count=checkpoint.entry_count,
                )
            )
        )
    kept = {(a, c): v for a, cur in checkpoint.balances.items() for c, v in cur.items() if v}
    now = {k: v for k, v in through_balances.items() if v}
    for key in sorted(set(kept) | set(now)):
        if kept.get(key, 0) != now.get(key, 0):
            replay.findings.append(
                Finding(
                    Message(
                        "balance through {through} is {value} {key_1}, checkpoint says {value2}",
                        through=checkpoint.through,
                        value=now.get(key, 0),
                        key_1=key[1],
                        value2=kept.get(key, 0),
                    ),
                    account=key[0],
                )
            )
