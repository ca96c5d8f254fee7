"""Proposals and the approvals given to them."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, select

from jointfund.clock import stamp, unstamp, unstamp_optional
from jointfund.errors import ConflictError, NotFoundError
from jointfund.governance import (
    Approval,
    Proposal,
    ProposalKind,
    ProposalStatus,
)
from jointfund.i18n.message import Message
from jointfund.store.row_chain import bump_version, chain_inserted
from jointfund.store.row_chain_checks import require_chained
from jointfund.store.tables.governance import approvals, proposals


def _proposal(row: Row[Any]) -> Proposal:
    return Proposal(
        id=int(row.id),
        kind=ProposalKind(row.kind),
        payload=json.loads(row.payload),
        payload_hash=row.payload_hash,
        status=ProposalStatus(row.status),
        created_by=int(row.created_by),
        created_at=unstamp(row.created_at),
        expires_at=unstamp_optional(row.expires_at),
        revision=int(row.revision),
        executed_at=unstamp_optional(row.executed_at),
        closed_by=row.closed_by,
        reason=row.reason,
    )


def insert_proposal(
    conn: Connection,
    *,
    kind: ProposalKind,
    payload_json: str,
    payload_hash: str,
    created_by: int,
    at: datetime,
    expires_at: datetime | None,
) -> Proposal:
    """Store a new open proposal."""
    key = conn.execute(
        proposals.insert().values(
            kind=kind.value,
            payload=payload_json,
            payload_hash=payload_hash,
            revision=1,
            status=ProposalStatus.OPEN.value,
            created_by=created_by,
            created_at=stamp(at),
            expires_at=stamp(expires_at) if expires_at else None,
            reason="",
        )
    ).inserted_primary_key
    assert key is not None
    chain_inserted(conn, proposals, key)
    return get_proposal(conn, int(key[0]))


def get_proposal(conn: Connection, proposal_id: int, *, lock: bool = False) -> Proposal:
    """One proposal; `lock` holds its row until commit so approvals of it run one at a time."""
    stmt = select(proposals).where(proposals.c.id == proposal_id)
    if lock and conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    row = conn.execute(stmt).first()
    if row is None:
        raise NotFoundError(Message("no proposal {proposal_id}", proposal_id=proposal_id))
    if lock:  # about to decide on it: it must be exactly what was proposed and approved
        require_chained(
            conn, proposals, tuple(row), Message("proposal {proposal_id}", proposal_id=proposal_id)
        )
    return _proposal(row)


def list_proposals(conn: Connection, status: ProposalStatus | None = None) -> list[Proposal]:
    """Proposals by id, optionally only those stored with one status."""
    stmt = select(proposals).order_by(proposals.c.id)
    if status is not None:
        stmt = stmt.where(proposals.c.status == status.value)
    return [_proposal(r) for r in conn.execute(stmt)]


def amend_proposal(
    conn: Connection, proposal: Proposal, *, payload_json: str, payload_hash: str
) -> None:
    """Replace an open proposal's payload (earlier approvals keep the old hash and lapse)."""
    where = (
        (proposals.c.id == proposal.id)
        & (proposals.c.status == ProposalStatus.OPEN.value)
        & (proposals.c.revision == proposal.revision)
    )
    changed = bump_version(
        conn,
        proposals,
        where,
        payload=payload_json,
        payload_hash=payload_hash,
        revision=proposal.revision + 1,
    )
    if changed != 1:
        raise ConflictError(
            Message("proposal {id} changed while it was being amended", id=proposal.id)
        )


def close_proposal(
    conn: Connection,
    proposal: Proposal,
    status: ProposalStatus,
    *,
    by: int,
    at: datetime,
    reason: str = "",
) -> None:
    """Move an open proposal to executed or rejected, exactly once.

    The UPDATE matches only the open row with the payload that was approved, so of two
    transactions racing to execute the same proposal only one changes a row.
    """
    values: dict[str, Any] = {"status": status.value, "closed_by": by, "reason": reason}
    if status is ProposalStatus.EXECUTED:
        values["executed_at"] = stamp(at)
    where = (
        (proposals.c.id == proposal.id)
        & (proposals.c.status == ProposalStatus.OPEN.value)
        & (proposals.c.payload_hash == proposal.payload_hash)
    )
    if bump_version(conn, proposals, where, **values) != 1:
        raise ConflictError(
            Message("proposal {id} was closed or amended concurrently", id=proposal.id)
        )


def insert_approval(conn: Connection, approval: Approval) -> None:
    """Record one approval (the unique index refuses a second vote on the same payload)."""
    key = conn.execute(
        approvals.insert().values(
            proposal_id=approval.proposal_id,
            user_id=approval.user_id,
            partner=approval.partner,
            payload_hash=approval.payload_hash,
            approved_at=stamp(approval.approved_at),
        )
    ).inserted_primary_key
    chain_inserted(conn, approvals, key)


def approvals_of(conn: Connection, proposal_id: int) -> list[Approval]:
    """Every approval ever given to a proposal, any payload, in order."""
    rows = conn.execute(
        select(approvals).where(approvals.c.proposal_id == proposal_id).order_by(approvals.c.id)
    )
    return [
        Approval(
            int(r.proposal_id), int(r.user_id), r.partner, r.payload_hash, unstamp(r.approved_at)
        )
        for r in rows
    ]
