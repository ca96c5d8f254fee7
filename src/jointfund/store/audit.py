"""The append-only audit log: who did what to which thing, when, from which interface."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from jointfund.clock import stamp
from jointfund.governance import Interface, User
from jointfund.ledger.hashing import canonical_json
from jointfund.store.keyset import Sort, keyset_page
from jointfund.store.row_chain import insert_chained
from jointfund.store.tables.governance import audit_log

BOOTSTRAP_ROLE = "bootstrap"
"""The role recorded for the one door without an actor (setting a fund up)."""


def append_audit(
    conn: Connection,
    *,
    at: datetime,
    actor: User | None,
    interface: Interface,
    action: str,
    target: str,
    detail: Mapping[str, Any] | None = None,
) -> None:
    """Record who did what to which thing, when, from which interface, in which role, and
    the SHA-256 of the detail."""
    text = json.dumps(dict(detail or {}), sort_keys=True, default=str)
    insert_chained(
        conn,
        audit_log,
        {
            "at": stamp(at),
            "actor_id": actor.id if actor else None,
            "actor": actor.label if actor else "(bootstrap)",
            "interface": interface.value,
            "action": action,
            "target": target,
            "detail": text,
            "role": actor.role.value if actor else BOOTSTRAP_ROLE,
            "detail_hash": detail_hash(json.loads(text)),
        },
    )


def audit_records(conn: Connection, *, target: str | None = None) -> list[dict[str, Any]]:
    """Audit records in order, optionally for one target."""
    stmt = select(audit_log).order_by(audit_log.c.seq)
    if target is not None:
        stmt = stmt.where(audit_log.c.target == target)
    return [{**dict(r._mapping), "detail": json.loads(r.detail)} for r in conn.execute(stmt)]


def detail_hash(detail: Any) -> str:
    """The SHA-256 of a detail's canonical JSON (sorted keys, no spaces, UTF-8 as is)."""
    return hashlib.sha256(canonical_json(detail).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One audit record as read back: who, in which role, did what to which thing, and when."""

    seq: int
    at: str
    actor: str
    role: str | None
    interface: str
    action: str
    target: str
    detail: dict[str, Any]
    detail_hash: str


# The audit log's sorts, each read along an index: the record number (the order they were
# written in, so also their time), and the actor, action and object indexes (SQLite keeps the
# rowid, the record number, at the end of each).
AUDIT_SORTS = {
    "seq": (audit_log.c.seq,),
    "actor": (audit_log.c.actor, audit_log.c.seq),
    "action": (audit_log.c.action, audit_log.c.seq),
    "target": (audit_log.c.target, audit_log.c.seq),
}


def audit_page(
    conn: Connection,
    *,
    actor_id: int | None = None,
    action: str | None = None,
    target: str | None = None,
    start: date | None = None,
    end: date | None = None,
    after_seq: int = 0,
    limit: int = 100,
    sort: Sort | None = None,
) -> list[AuditRecord]:
    """Up to `limit` records after record `after_seq` in the order of `sort` (record number by
    default), filtered by the acting user's id, action, target and the days [start, end]
    they were written on (UTC)."""
    stmt = select(audit_log)
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
    order = sort or Sort("seq")
    columns = AUDIT_SORTS[order.name]
    rows = keyset_page(conn, stmt, columns, order.descending, after=after_seq or None, limit=limit)
    found = []
    for row in rows:
        detail = json.loads(row.detail)
        found.append(
            AuditRecord(
                seq=int(row.seq),
                at=row.at,
                actor=row.actor,
                role=row.role,
                interface=row.interface,
                action=row.action,
                target=row.target,
                detail=detail,
                # Records written before roles and hashes were kept: the hash is recomputed.
                detail_hash=row.detail_hash or detail_hash(detail),
            )
        )
    return found
