"""Verify the stored books against their journal; close periods and check checkpoints."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import Connection, func, select

from jointfund.errors import ConflictError, LedgerError
from jointfund.ledger import Checkpoint, Finding, JournalReplay, VerifyReport
from jointfund.ledger.verify import BalanceKey
from jointfund.store.posting import booked_now, closed_through
from jointfund.store.queries import balances_as_of, iter_journal
from jointfund.store.schema import (
    accounts,
    balances,
    day_totals,
    entries,
    ledger_head,
    period_closes,
)


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


def verify_books(conn: Connection, checkpoint: Checkpoint | None = None) -> VerifyReport:
    """Recompute chain, content hashes and balances; compare with what is stored."""
    replay = JournalReplay()
    through_balances: dict[tuple[str, str], int] = defaultdict(int)
    checkpoint_seen = False
    for page in iter_journal(conn):
        for seq in page.orphans:
            replay.findings.append(Finding(f"postings exist for missing entry #{seq}", seq=seq))
        for stored in page.entries:
            replay.feed(stored)
            if checkpoint is None or stored.seq > checkpoint.last_seq:
                continue
            if stored.entry.effective_date <= checkpoint.through:
                for p in stored.entry.postings:
                    through_balances[(p.account, p.currency)] += p.amount
            if stored.seq == checkpoint.last_seq:
                checkpoint_seen = True
                if stored.hash != checkpoint.last_hash:
                    replay.findings.append(
                        Finding(
                            "hash differs from the checkpoint of the close through "
                            f"{checkpoint.through}: history before it was rewritten",
                            seq=stored.seq,
                            key=stored.entry.key,
                        )
                    )
    head = conn.execute(select(ledger_head.c.last_seq, ledger_head.c.last_hash)).one()
    if (int(head.last_seq), head.last_hash) != (replay.expected_seq - 1, replay.prev_hash):
        replay.findings.append(
            Finding(f"chain head says #{head.last_seq}, journal ends at #{replay.expected_seq - 1}")
        )
    replay.compare_balances(_stored_balances(conn), _stored_days(conn))
    if checkpoint is not None:
        _compare_checkpoint(replay, checkpoint, checkpoint_seen, through_balances)
    return replay.report()


def _compare_checkpoint(
    replay: JournalReplay,
    checkpoint: Checkpoint,
    seen: bool,
    through_balances: dict[tuple[str, str], int],
) -> None:
    if not seen:
        replay.findings.append(
            Finding(f"checkpoint entry #{checkpoint.last_seq} is missing from the journal")
        )
    if replay.entries < checkpoint.entry_count:
        replay.findings.append(
            Finding(f"journal has {replay.entries} entries, checkpoint saw {checkpoint.entry_count}")
        )
    kept = {(a, c): v for a, cur in checkpoint.balances.items() for c, v in cur.items() if v}
    now = {k: v for k, v in through_balances.items() if v}
    for key in sorted(set(kept) | set(now)):
        if kept.get(key, 0) != now.get(key, 0):
            replay.findings.append(
                Finding(
                    f"balance through {checkpoint.through} is {now.get(key, 0)} {key[1]}, "
                    f"checkpoint says {kept.get(key, 0)}",
                    account=key[0],
                )
            )


def close_period(conn: Connection, through: date) -> Checkpoint:
    """Close every day up to `through`; returns the checkpoint partners keep."""
    closed = closed_through(conn)
    if closed is not None and through <= closed:
        raise ConflictError(f"the books are already closed through {closed}")
    head = conn.execute(select(ledger_head.c.last_seq, ledger_head.c.last_hash)).one()
    count = int(conn.execute(select(func.count()).select_from(entries)).scalar() or 0)
    if count != head.last_seq:
        raise LedgerError("the journal does not match its chain head; run verify")
    nested: dict[str, dict[str, int]] = defaultdict(dict)
    for row in balances_as_of(conn, through):
        nested[row.account][row.currency] = row.amount
    checkpoint = Checkpoint(
        through=through,
        last_seq=int(head.last_seq),
        last_hash=str(head.last_hash),
        entry_count=count,
        balances=dict(nested),
    )
    conn.execute(
        period_closes.insert().values(
            through=through,
            closed_at=booked_now(),
            last_seq=checkpoint.last_seq,
            last_hash=checkpoint.last_hash,
            entry_count=count,
            checkpoint=checkpoint.to_json(),
        )
    )
    return checkpoint


def checkpoints(conn: Connection) -> list[Checkpoint]:
    """Every close's checkpoint, oldest first."""
    rows = conn.execute(select(period_closes.c.checkpoint).order_by(period_closes.c.through))
    return [Checkpoint.from_json(text) for text in rows.scalars()]
