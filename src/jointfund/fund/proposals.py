"""Proposals as use cases: propose, amend, approve (and execute once), reject, list.

An approval and the execution it completes share one write transaction: the proposal row is
locked first (PostgreSQL `FOR UPDATE`; SQLite writers are serial), the status moves
open → executed by a conditional UPDATE that must change exactly one row, and the entries are
posted under the idempotency key `proposal:<id>`, so no proposal executes twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from jointfund.errors import GovernanceError, InputError, PermissionDeniedError, Problem
from jointfund.fund import contributions, distributions, investments
from jointfund.fund.users import utcnow
from jointfund.governance import (
    Approval,
    ApprovalState,
    Interface,
    Proposal,
    ProposalKind,
    ProposalStatus,
    User,
    approval_state,
    board_of,
    canonical_payload,
    check_approver,
    check_open,
    effective_status,
    parse_kind,
    payloads,
    require,
)
from jointfund.ledger import Entry, canonical_json
from jointfund.store import Database
from jointfund.store import governance_people as people
from jointfund.store import governance_repo as repo
from jointfund.store.operations_repo import open_accounts_for
from jointfund.store.posting import post_batch
from jointfund.terms import TermSheet, load_terms, parse_terms_yaml, terms_to_yaml

DEFAULT_PROPOSAL_DAYS = 30

Validator = Callable[[Connection, Mapping[str, Any], TermSheet], None]
Executor = Callable[[Connection, Proposal, TermSheet], list[Entry]]


@dataclass(frozen=True, slots=True)
class KindHandler:
    """How one proposal kind is checked when proposed and carried out when approved."""

    validate: Validator
    execute: Executor


def _validate_term_change(conn: Connection, payload: Mapping[str, Any], terms: TermSheet) -> None:
    parsed = payloads.term_change(payload)
    if parsed.preset is not None:
        load_terms(parsed.preset)
    elif parsed.terms_yaml is not None:
        parse_terms_yaml(parsed.terms_yaml, file="payload.terms_yaml")


def _execute_term_change(conn: Connection, proposal: Proposal, terms: TermSheet) -> list[Entry]:
    parsed = payloads.term_change(proposal.payload)
    sheet = (
        load_terms(parsed.preset)
        if parsed.preset is not None
        else parse_terms_yaml(parsed.terms_yaml or "", file="payload.terms_yaml")
    )
    repo.insert_term_change(
        conn,
        proposal_id=proposal.id,
        terms_id=sheet.id,
        terms_yaml=terms_to_yaml(sheet),
        effective_on=parsed.on,
    )
    return []


def _validate_admit(conn: Connection, payload: Mapping[str, Any], terms: TermSheet) -> None:
    parsed = payloads.admit_partner(payload)
    if parsed.partner_id in terms.partner_ids:
        raise GovernanceError(f"{parsed.partner_id} is a partner already under {terms.id}")


def _execute_admit(conn: Connection, proposal: Proposal, terms: TermSheet) -> list[Entry]:
    _validate_admit(conn, proposal.payload, terms)
    parsed = payloads.admit_partner(proposal.payload)
    repo.insert_admitted_partner(
        conn,
        proposal_id=proposal.id,
        partner_id=parsed.partner_id,
        name=parsed.name,
        legal_entity=parsed.legal_entity,
        on=parsed.on,
    )
    return []


HANDLERS: Mapping[ProposalKind, KindHandler] = {
    ProposalKind.INVESTMENT: KindHandler(
        investments.validate_commitment, investments.execute_commitment
    ),
    ProposalKind.VALUATION_MARK: KindHandler(investments.validate_mark, investments.execute_mark),
    ProposalKind.WRITE_DOWN: KindHandler(
        investments.validate_write_down, investments.execute_write_down
    ),
    ProposalKind.IN_KIND_VALUATION: KindHandler(
        contributions.validate_valuation, contributions.execute_valuation
    ),
    ProposalKind.DISTRIBUTION: KindHandler(distributions.validate, distributions.execute),
    ProposalKind.TERM_CHANGE: KindHandler(_validate_term_change, _execute_term_change),
    ProposalKind.ADMIT_PARTNER: KindHandler(_validate_admit, _execute_admit),
}


@dataclass(frozen=True, slots=True)
class ProposalView:
    """A proposal as listed: its status now and the approvals that count for its payload."""

    proposal: Proposal
    status: ProposalStatus
    approvals: Sequence[Approval]
    state: ApprovalState


@dataclass(frozen=True, slots=True)
class ApprovalOutcome:
    """What an approval did: recorded only, or recorded and executed the proposal."""

    proposal: Proposal
    executed: bool
    state: ApprovalState
    entry_keys: tuple[str, ...] = ()


def _sitting_user(conn: Connection, actor: User) -> User:
    """The actor as stored now: a forged or stale User object gains nothing."""
    stored = people.get_user(conn, user_id=actor.id)
    if not stored.active:
        raise PermissionDeniedError(f"{stored.label} is deactivated")
    if stored != actor:
        raise PermissionDeniedError(f"user {actor.id} is {stored.label}, not {actor.label}")
    return stored


def propose(
    db: Database,
    actor: User,
    kind: ProposalKind | str,
    payload: Mapping[str, Any],
    *,
    terms: TermSheet | None = None,
    expires_at: datetime | None = None,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> Proposal:
    """Open a proposal after checking its payload; it executes once its approvals are in."""
    require(actor, "proposals.create")
    kind = parse_kind(kind)
    now = now or utcnow()
    text, digest = canonical_payload(payload)
    with db.write() as conn:
        _sitting_user(conn, actor)
        sheet = terms or repo.terms_in_force(conn)
        HANDLERS[kind].validate(conn, payload, sheet)
        proposal = repo.insert_proposal(
            conn,
            kind=kind,
            payload_json=text,
            payload_hash=digest,
            created_by=actor.id,
            at=now,
            expires_at=expires_at or now + timedelta(days=DEFAULT_PROPOSAL_DAYS),
        )
        people.append_audit(
            conn,
            at=now,
            actor=actor,
            interface=interface,
            action="proposals.create",
            target=f"proposal:{proposal.id}",
            detail={"kind": kind.value, "payload_hash": digest},
        )
    return proposal


def amend(
    db: Database,
    actor: User,
    proposal_id: int,
    payload: Mapping[str, Any],
    *,
    terms: TermSheet | None = None,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> Proposal:
    """Replace an open proposal's payload; approvals given to the old payload stop counting."""
    require(actor, "proposals.create")
    now = now or utcnow()
    text, digest = canonical_payload(payload)
    with db.write() as conn:
        _sitting_user(conn, actor)
        proposal = repo.get_proposal(conn, proposal_id, lock=True)
        check_open(proposal, now)
        HANDLERS[proposal.kind].validate(conn, payload, terms or repo.terms_in_force(conn))
        repo.amend_proposal(conn, proposal, payload_json=text, payload_hash=digest)
        people.append_audit(
            conn,
            at=now,
            actor=actor,
            interface=interface,
            action="proposals.amend",
            target=f"proposal:{proposal.id}",
            detail={"old_hash": proposal.payload_hash, "payload_hash": digest},
        )
        return repo.get_proposal(conn, proposal_id)


def _execute(
    conn: Connection, proposal: Proposal, terms: TermSheet, actor: User, now: datetime
) -> list[Entry]:
    repo.close_proposal(conn, proposal, ProposalStatus.EXECUTED, by=actor.id, at=now)
    entries = HANDLERS[proposal.kind].execute(conn, proposal, terms)
    prefix = f"proposal:{proposal.id}"
    for entry in entries:
        if entry.key != prefix and not entry.key.startswith(prefix + ":"):
            raise AssertionError(f"executor keyed an entry {entry.key}, not under {prefix}")
    if entries:
        open_accounts_for(
            conn, entries, min(terms.entry_into_force, *(e.effective_date for e in entries))
        )
        post_batch(conn, entries)
    return entries


def approve(
    db: Database,
    actor: User,
    proposal_id: int,
    *,
    partner: str | None = None,
    payload_hash: str | None = None,
    terms: TermSheet | None = None,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> ApprovalOutcome:
    """Approve a proposal for the actor's own partner; the approval that completes the terms'
    rule executes it in the same transaction. `payload_hash`, when given, must be current."""
    require(actor, "proposals.approve")
    now = now or utcnow()
    with db.write() as conn:
        proposal = repo.get_proposal(conn, proposal_id, lock=True)
        manager = _sitting_user(conn, actor)
        check_open(proposal, now)
        given = repo.approvals_of(conn, proposal.id)
        seat = check_approver(manager, proposal, given, partner=partner, payload_hash=payload_hash)
        approval = Approval(proposal.id, manager.id, seat, proposal.payload_hash, now)
        repo.insert_approval(conn, approval)
        sheet = terms or repo.terms_in_force(conn)
        state = approval_state(
            sheet, proposal, board_of(people.board_managers(conn)), [*given, approval]
        )
        people.append_audit(
            conn,
            at=now,
            actor=manager,
            interface=interface,
            action="proposals.approve",
            target=f"proposal:{proposal.id}",
            detail={
                "partner": seat,
                "payload_hash": proposal.payload_hash,
                "satisfied": state.satisfied,
            },
        )
        keys: tuple[str, ...] = ()
        if state.satisfied:
            keys = tuple(e.key for e in _execute(conn, proposal, sheet, manager, now))
            people.append_audit(
                conn,
                at=now,
                actor=manager,
                interface=interface,
                action="proposals.execute",
                target=f"proposal:{proposal.id}",
                detail={"entries": list(keys)},
            )
        return ApprovalOutcome(repo.get_proposal(conn, proposal.id), state.satisfied, state, keys)


def reject(
    db: Database,
    actor: User,
    proposal_id: int,
    *,
    reason: str = "",
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> Proposal:
    """Reject an open proposal; a sitting manager of either partner may (parity cuts both ways)."""
    require(actor, "proposals.approve")
    now = now or utcnow()
    with db.write() as conn:
        proposal = repo.get_proposal(conn, proposal_id, lock=True)
        manager = _sitting_user(conn, actor)
        check_open(proposal, now)
        repo.close_proposal(
            conn, proposal, ProposalStatus.REJECTED, by=manager.id, at=now, reason=reason
        )
        people.append_audit(
            conn,
            at=now,
            actor=manager,
            interface=interface,
            action="proposals.reject",
            target=f"proposal:{proposal.id}",
            detail={"reason": reason},
        )
        return repo.get_proposal(conn, proposal.id)


def _view(conn: Connection, proposal: Proposal, terms: TermSheet, now: datetime) -> ProposalView:
    given = repo.approvals_of(conn, proposal.id)
    state = approval_state(terms, proposal, board_of(people.board_managers(conn)), given)
    return ProposalView(proposal, effective_status(proposal, now), given, state)


def list_proposals(
    db: Database,
    actor: User,
    *,
    status: ProposalStatus | str | None = None,
    terms: TermSheet | None = None,
    now: datetime | None = None,
) -> list[ProposalView]:
    """Proposals with their status as of now (expired ones show as expired)."""
    require(actor, "proposals.read")
    now = now or utcnow()
    try:
        wanted = ProposalStatus(status) if status is not None else None
    except ValueError:
        choices = ", ".join(s.value for s in ProposalStatus)
        raise InputError(
            [Problem(f"unknown proposal status {status!r}", field="status", expected=choices)]
        ) from None
    with db.read() as conn:
        sheet = terms or repo.terms_in_force(conn)
        views = [_view(conn, p, sheet, now) for p in repo.list_proposals(conn)]
    return [v for v in views if wanted is None or v.status is wanted]


def show_proposal(
    db: Database, actor: User, proposal_id: int, *, now: datetime | None = None
) -> ProposalView:
    """One proposal with its approvals."""
    require(actor, "proposals.read")
    with db.read() as conn:
        return _view(
            conn, repo.get_proposal(conn, proposal_id), repo.terms_in_force(conn), now or utcnow()
        )


def payload_text(proposal: Proposal) -> str:
    """The canonical JSON of a proposal's payload, as approvals sign it."""
    return canonical_json(dict(proposal.payload))
