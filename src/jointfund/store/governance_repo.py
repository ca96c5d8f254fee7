"""Governance rows about decisions: proposals, approvals, term changes, admitted partners."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, select, update

from jointfund.errors import ConflictError, NotFoundError
from jointfund.governance import (
    Approval,
    Proposal,
    ProposalKind,
    ProposalStatus,
)
from jointfund.store.governance_people import stamp, unstamp
from jointfund.store.governance_tables import (
    admitted_partners,
    approvals,
    proposals,
    term_changes,
)
from jointfund.store.registry_repo import current_terms_row
from jointfund.store.row_chain import chain_inserted
from jointfund.terms import DEFAULT_PRESET, TermSheet, load_terms, parse_terms_yaml


def _when(text: str) -> datetime:
    moment = unstamp(text)
    assert moment is not None
    return moment


# --- proposals ---------------------------------------------------------------------------


def _proposal(row: Row[Any]) -> Proposal:
    return Proposal(
        id=int(row.id),
        kind=ProposalKind(row.kind),
        payload=json.loads(row.payload),
        payload_hash=row.payload_hash,
        status=ProposalStatus(row.status),
        created_by=int(row.created_by),
        created_at=_when(row.created_at),
        expires_at=unstamp(row.expires_at),
        revision=int(row.revision),
        executed_at=unstamp(row.executed_at),
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
    return get_proposal(conn, int(key[0]))


def get_proposal(conn: Connection, proposal_id: int, *, lock: bool = False) -> Proposal:
    """One proposal; `lock` holds its row until commit so approvals of it run one at a time."""
    stmt = select(proposals).where(proposals.c.id == proposal_id)
    if lock and conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    row = conn.execute(stmt).first()
    if row is None:
        raise NotFoundError(f"no proposal {proposal_id}")
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
    done = conn.execute(
        update(proposals)
        .where(
            proposals.c.id == proposal.id,
            proposals.c.status == ProposalStatus.OPEN.value,
            proposals.c.revision == proposal.revision,
        )
        .values(payload=payload_json, payload_hash=payload_hash, revision=proposal.revision + 1)
    )
    if done.rowcount != 1:
        raise ConflictError(f"proposal {proposal.id} changed while it was being amended")


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
    done = conn.execute(
        update(proposals)
        .where(
            proposals.c.id == proposal.id,
            proposals.c.status == ProposalStatus.OPEN.value,
            proposals.c.payload_hash == proposal.payload_hash,
        )
        .values(**values)
    )
    if done.rowcount != 1:
        raise ConflictError(f"proposal {proposal.id} was closed or amended concurrently")


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
            int(r.proposal_id), int(r.user_id), r.partner, r.payload_hash, _when(r.approved_at)
        )
        for r in rows
    ]


# --- decisions that change the fund's constitution ----------------------------------------


def insert_term_change(
    conn: Connection, *, proposal_id: int, terms_id: str, terms_yaml: str, effective_on: date
) -> None:
    """Record the term sheet a term_change proposal put in force."""
    key = conn.execute(
        term_changes.insert().values(
            proposal_id=proposal_id,
            terms_id=terms_id,
            terms_yaml=terms_yaml,
            effective_on=effective_on,
        )
    ).inserted_primary_key
    chain_inserted(conn, term_changes, key)


def latest_terms_yaml(conn: Connection, on: date | None = None) -> str | None:
    """The YAML of the newest term change in force on `on` (any date when None)."""
    stmt = select(term_changes.c.terms_yaml).order_by(
        term_changes.c.effective_on.desc(), term_changes.c.id.desc()
    )
    if on is not None:
        stmt = stmt.where(term_changes.c.effective_on <= on)
    value: str | None = conn.execute(stmt.limit(1)).scalar()
    return value


def terms_in_force(conn: Connection, on: date | None = None) -> TermSheet:
    """The one answer to "which terms apply": the board's latest term change in force by `on`,
    else the sheet the fund was set up with, else the default preset."""
    text = latest_terms_yaml(conn, on)
    if text:
        return parse_terms_yaml(text, file="term_changes")
    adopted = current_terms_row(conn)
    if adopted is not None:
        return parse_terms_yaml(adopted.yaml, file=f"adopted term sheet {adopted.terms_id}")
    return load_terms(DEFAULT_PRESET)


def insert_admitted_partner(
    conn: Connection, *, proposal_id: int, partner_id: str, name: str, legal_entity: str, on: date
) -> None:
    """Record a partner admitted by an approved proposal."""
    if conn.execute(
        select(admitted_partners.c.partner_id).where(admitted_partners.c.partner_id == partner_id)
    ).first():
        raise ConflictError(f"partner {partner_id} was admitted already")
    key = conn.execute(
        admitted_partners.insert().values(
            partner_id=partner_id,
            proposal_id=proposal_id,
            name=name,
            legal_entity=legal_entity,
            admitted_on=on,
        )
    ).inserted_primary_key
    chain_inserted(conn, admitted_partners, key)
