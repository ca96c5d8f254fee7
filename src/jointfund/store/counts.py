"""How many rows a list's filters match, for the pager's total: each count is read along the
index its filter has (entries by kind or day, postings by account, audit records by action,
target or actor), and the unfiltered journal's is the chain head's seq."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, func, select

from jointfund.store.accounts import SUBTREE, subtree_params
from jointfund.store.head import chain_head
from jointfund.store.tables.governance import audit_log
from jointfund.store.tables.ledger import accounts, entries, postings


def count_entries(
    conn: Connection,
    *,
    account: str | None = None,
    start: date | None = None,
    end: date | None = None,
    kind: str | None = None,
) -> int:
    """How many entries the journal's filters match (seqs run 1, 2, … with no gaps)."""
    if not (account or start or end or kind):
        return chain_head(conn).seq
    stmt = select(func.count()).select_from(entries)
    params: dict[str, Any] = {}
    if account:
        ids = select(accounts.c.id).where(SUBTREE)
        moved = select(postings.c.entry_seq).where(postings.c.account_id.in_(ids))
        stmt = stmt.where(entries.c.seq.in_(moved))
        params |= subtree_params(account)
    if start:
        stmt = stmt.where(entries.c.effective_date >= start)
    if end:
        stmt = stmt.where(entries.c.effective_date <= end)
    if kind:
        stmt = stmt.where(entries.c.kind == kind)
    return int(conn.execute(stmt, params).scalar() or 0)


def count_audit(
    conn: Connection,
    *,
    actor_id: int | None = None,
    action: str | None = None,
    target: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> int:
    """How many audit records the audit log's filters match."""
    stmt = select(func.count()).select_from(audit_log)
    if actor_id is not None:
        stmt = stmt.where(audit_log.c.actor_id == actor_id)
    if action is not None:
        stmt = stmt.where(audit_log.c.action == action)
    if target is not None:
        stmt = stmt.where(audit_log.c.target == target)
    if start is not None:
        stmt = stmt.where(audit_log.c.at >= start.isoformat())
    if end is not None:
        stmt = stmt.where(audit_log.c.at < (end + timedelta(days=1)).isoformat())
    return int(conn.execute(stmt).scalar() or 0)
