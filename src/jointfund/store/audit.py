"""The append-only audit log: who did what to which thing, when, from which interface."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from jointfund.clock import stamp
from jointfund.governance import Interface, User
from jointfund.store.row_chain import chain_inserted
from jointfund.store.tables.governance import audit_log


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
    """Record who did what to which thing, when, and from which interface."""
    key = conn.execute(
        audit_log.insert().values(
            at=stamp(at),
            actor_id=actor.id if actor else None,
            actor=actor.label if actor else "(bootstrap)",
            interface=interface.value,
            action=action,
            target=target,
            detail=json.dumps(dict(detail or {}), sort_keys=True, default=str),
        )
    ).inserted_primary_key
    chain_inserted(conn, audit_log, key)


def audit_records(conn: Connection, *, target: str | None = None) -> list[dict[str, Any]]:
    """Audit records in order, optionally for one target."""
    stmt = select(audit_log).order_by(audit_log.c.seq)
    if target is not None:
        stmt = stmt.where(audit_log.c.target == target)
    return [{**dict(r._mapping), "detail": json.loads(r.detail)} for r in conn.execute(stmt)]
