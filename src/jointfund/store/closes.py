"""Period closes: the last closed day, closing through a date, the checkpoints kept."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import Connection, func, select

from jointfund.clock import stamp_now as booked_now
from jointfund.errors import (
    ConflictError,
    LedgerError,
)
from jointfund.i18n.message import Message
from jointfund.ledger import (
    Checkpoint,
)
from jointfund.store.balances import balances_as_of
from jointfund.store.head import chain_head
from jointfund.store.row_chain import PROTECTED, chain_inserted, row_head
from jointfund.store.tables.ledger import entries, metadata, period_closes


def closed_through(conn: Connection) -> date | None:
    """The last day of the latest closed period, if any."""
    value: date | None = conn.execute(select(func.max(period_closes.c.through))).scalar()
    return value


def close_period(conn: Connection, through: date) -> Checkpoint:
    """Close every day up to `through`; returns the checkpoint partners keep."""
    closed = closed_through(conn)
    if closed is not None and through <= closed:
        raise ConflictError(Message("the books are already closed through {closed}", closed=closed))
    head = chain_head(conn)
    count = int(conn.execute(select(func.count()).select_from(entries)).scalar() or 0)
    if count != head.seq:
        raise LedgerError(Message("the journal does not match its chain head; run verify"))
    nested: dict[str, dict[str, int]] = defaultdict(dict)
    for row in balances_as_of(conn, through):
        nested[row.account][row.currency] = row.amount
    # The close's own row is chained after this head, so the checkpoint can commit to it.
    rows_seq, rows_hash = row_head(conn)
    checkpoint = Checkpoint(
        through=through,
        last_seq=head.seq,
        last_hash=head.hash,
        entry_count=count,
        balances=dict(nested),
        rows_seq=rows_seq,
        rows_hash=rows_hash,
        row_counts={name: _count(conn, name) for name in PROTECTED},
    )
    key = conn.execute(
        period_closes.insert().values(
            through=through,
            closed_at=booked_now(),
            last_seq=checkpoint.last_seq,
            last_hash=checkpoint.last_hash,
            entry_count=count,
            checkpoint=checkpoint.to_json(),
        )
    ).inserted_primary_key
    chain_inserted(conn, period_closes, key)
    return checkpoint


def _count(conn: Connection, name: str) -> int:
    """Rows of one protected table (a verify from the checkpoint counts from there)."""
    return int(conn.execute(select(func.count()).select_from(metadata.tables[name])).scalar() or 0)


def checkpoints(conn: Connection) -> list[Checkpoint]:
    """Every close's checkpoint, oldest first."""
    rows = conn.execute(select(period_closes.c.checkpoint).order_by(period_closes.c.through))
    return [Checkpoint.from_json(text) for text in rows.scalars()]
