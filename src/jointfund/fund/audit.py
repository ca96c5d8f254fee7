"""Reading the audit log: who, in which role, did what to which thing, and when.

Auditors and administrators read it (`audit.read`); every interface (`jointfund audit`,
GET /api/audit, the /audit page) reads through `read_audit`, a page at a time after a cursor.
"""

from __future__ import annotations

from datetime import date

from jointfund import store
from jointfund.errors import InputError, NotFoundError, Problem
from jointfund.governance import User, require
from jointfund.i18n.message import Message
from jointfund.store import Database, counts
from jointfund.store.audit import AuditRecord
from jointfund.store.keyset import Sort

__all__ = ["MAX_PAGE", "AuditRecord", "count_audit", "read_audit"]

MAX_PAGE = 1000


def read_audit(
    db: Database,
    reader: User,
    *,
    actor: str | None = None,
    action: str | None = None,
    target: str | None = None,
    start: date | None = None,
    end: date | None = None,
    after_seq: int = 0,
    limit: int = 100,
    sort: Sort | None = None,
) -> list[AuditRecord]:
    """Up to `limit` audit records after `after_seq`, oldest first, filtered by the acting
    user's name, the action, the target and the days they were written on; in the order of
    `sort` (one of `sorting.AUDIT`), oldest first by default."""
    require(reader, "audit.read")
    if not 1 <= limit <= MAX_PAGE + 1:
        raise InputError(
            [Problem(Message("limit {limit} is out of range", limit=limit), field="limit")]
        )
    if start is not None and end is not None and end < start:
        raise InputError([Problem(Message("the range ends before it starts"), field="to")])
    with db.read() as conn:
        actor_id = None
        if actor is not None:
            try:
                actor_id = store.users.get_user(conn, name=actor).id
            except NotFoundError:
                return []  # nobody of that name ever acted
        return store.audit.audit_page(
            conn,
            actor_id=actor_id,
            action=action,
            target=target,
            start=start,
            end=end,
            after_seq=after_seq,
            limit=limit,
            sort=sort,
        )


def count_audit(
    db: Database,
    reader: User,
    *,
    actor: str | None = None,
    action: str | None = None,
    target: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> int:
    """How many audit records the filters of `read_audit` match (the audit page's total)."""
    require(reader, "audit.read")
    with db.read() as conn:
        actor_id = None
        if actor is not None:
            try:
                actor_id = store.users.get_user(conn, name=actor).id
            except NotFoundError:
                return 0
        return counts.count_audit(
            conn, actor_id=actor_id, action=action, target=target, start=start, end=end
        )
