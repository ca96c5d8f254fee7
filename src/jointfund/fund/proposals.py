"""Proposals as use cases: propose, amend, approve (and execute once), reject (reading them:
`proposal_views`).

An approval and the execution it completes share one write transaction: the proposal row is
locked first (PostgreSQL `FOR UPDATE`; SQLite writers are serial), the status moves
open → executed by a conditional UPDATE that must change exactly one row, and the entries are
posted under the idempotency key `proposal:<id>`, so no proposal executes twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from jointfund import store
from jointfund.errors import GovernanceError, InputError, IntegrityError, Problem
from jointfund.fund import (
    board_decisions,
    committees,
    distributions,
    door,
    in_kind_credit,
    investments,
    manual_entries,
)
from jointfund.fund.proposal_dates import check_effective
from jointfund.fund.setup import terms_in_force
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
    parse_kind,
    require,
)
from jointfund.i18n.message import Message
from jointfund.ledger import Entry
from jointfund.store import Database, Tx
from jointfund.store.accounts import open_accounts_for
from jointfund.store.posting import post_batch
from jointfund.terms import (
    TermSheet,
)

DEFAULT_PROPOSAL_DAYS = 30

Validator = Callable[[Tx, Mapping[str, Any], TermSheet], None]
Executor = Callable[[Tx, Proposal, TermSheet], list[Entry]]


@dataclass(frozen=True, slots=True)
class KindHandler:
    """How one proposal kind is checked when proposed and carried out when approved."""

    validate: Validator
    execute: Executor


HANDLERS: Mapping[ProposalKind, KindHandler] = {
    ProposalKind.INVESTMENT: KindHandler(
        investments.validate_commitment, investments.execute_commitment
    ),
    ProposalKind.VALUATION_MARK: KindHandler(investments.validate_mark, investments.execute_mark),
    ProposalKind.WRITE_DOWN: KindHandler(
        investments.validate_write_down, investments.execute_write_down
    ),
    ProposalKind.IN_KIND_VALUATION: KindHandler(
        in_kind_credit.validate_approval, in_kind_credit.execute_approval
    ),
    ProposalKind.DISTRIBUTION: KindHandler(distributions.validate, distributions.execute),
    ProposalKind.TERM_CHANGE: KindHandler(
        board_decisions.validate_term_change, board_decisions.execute_term_change
    ),
    ProposalKind.ADMIT_PARTNER: KindHandler(
        board_decisions.validate_admit, board_decisions.execute_admit
    ),
    ProposalKind.JOURNAL_ENTRY: KindHandler(
        manual_entries.validate_entries, manual_entries.execute_entries
    ),
    ProposalKind.PERIOD_CLOSE: KindHandler(
        manual_entries.validate_close, manual_entries.execute_close
    ),
    ProposalKind.BOARD_RESOLUTION: KindHandler(
        board_decisions.validate_resolution, board_decisions.execute_resolution
    ),
}


_PROPOSER_ACTION = {
    ProposalKind.JOURNAL_ENTRY: "ledger.post",
    ProposalKind.PERIOD_CLOSE: "ledger.close",
}


@dataclass(frozen=True, slots=True)
class ApprovalOutcome:
    """What an approval did: recorded only, or recorded and executed the proposal."""

    proposal: Proposal
    executed: bool
    state: ApprovalState
    entry_keys: tuple[str, ...] = ()


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
    kind = parse_kind(kind)
    # Manual entries and closes are the administrator's to propose (maker), the board's to
    # approve (checker); other decisions any proposer may put to the board.
    require(actor, _PROPOSER_ACTION.get(kind, "proposals.create"))
    text, digest = canonical_payload(payload)
    with door.act(db, actor, "proposals.create", interface=interface, now=now) as act:
        conn, now = act.tx, act.now
        sheet = terms or terms_in_force(conn)
        check_effective(kind, payload, sheet, now.date())
        HANDLERS[kind].validate(conn, payload, sheet)
        proposal = store.proposals.insert_proposal(
            conn,
            kind=kind,
            payload_json=text,
            payload_hash=digest,
            created_by=actor.id,
            at=now,
            expires_at=expires_at or now + timedelta(days=DEFAULT_PROPOSAL_DAYS),
        )
        act.note(
            "proposals.create",
            f"proposal:{proposal.id}",
            {"kind": kind.value, "payload_hash": digest},
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
    text, digest = canonical_payload(payload)
    with door.act(db, actor, "proposals.create", interface=interface, now=now) as act:
        conn, now = act.tx, act.now
        proposal = store.proposals.get_proposal(conn, proposal_id, lock=True)
        require(act.user, _PROPOSER_ACTION.get(proposal.kind, "proposals.create"))
        check_open(proposal, now)
        sheet = terms or terms_in_force(conn)
        check_effective(proposal.kind, payload, sheet, now.date())
        HANDLERS[proposal.kind].validate(conn, payload, sheet)
        store.proposals.amend_proposal(conn, proposal, payload_json=text, payload_hash=digest)
        act.note(
            "proposals.amend",
            f"proposal:{proposal.id}",
            {"old_hash": proposal.payload_hash, "payload_hash": digest},
        )
        return store.proposals.get_proposal(conn, proposal_id)


def _execute(
    conn: Tx, proposal: Proposal, terms: TermSheet, actor: User, now: datetime
) -> list[Entry]:
    check_effective(proposal.kind, proposal.payload, terms, now.date())
    if canonical_payload(proposal.payload)[1] != proposal.payload_hash:
        raise IntegrityError(
            Message(
                "proposal {proposal}'s payload does not match the hash its approvals name: "
                "changed behind the books' back; nothing was executed (run `jointfund verify`)",
                proposal=proposal.id,
            )
        )
    store.proposals.close_proposal(conn, proposal, ProposalStatus.EXECUTED, by=actor.id, at=now)
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


def _require_payload_hash(payload_hash: str | None) -> None:
    if not payload_hash:
        raise InputError(
            [
                Problem(
                    Message("an approval names the payload it approves"),
                    field="payload_hash",
                    expected=Message(
                        "the SHA-256 of the payload you reviewed (shown with the proposal)"
                    ),
                )
            ]
        )


def _check_recommended(conn: Tx, terms: TermSheet, proposal: Proposal) -> None:
    """Refuse a board approval before the routed committee recommended the current payload."""
    step = committees.committee_step(conn, terms, proposal)
    if step is not None and not step.satisfied:
        raise GovernanceError(
            Message(
                "proposal {proposal} ({kind}) needs the {committee}'s recommendation of its "
                "current payload before the board approves it ({rule}; recommended so far: "
                "{counted})",
                proposal=proposal.id,
                kind=proposal.kind.value,
                committee=step.committee.name,
                rule=step.committee.recommendation.rule.value,
                counted=", ".join(f"{p} {len(m)}" for p, m in sorted(step.counted.items())),
            )
        )


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
    rule executes it in the same transaction.

    The approval binds the payload the manager reviewed: `payload_hash` is required and must be
    the current payload's, so a payload swapped in between (an amendment) is not approved.
    """
    with door.act(db, actor, "proposals.approve", interface=interface, now=now) as act:
        _require_payload_hash(payload_hash)
        conn, now, manager = act.tx, act.now, act.user
        proposal = store.proposals.get_proposal(conn, proposal_id, lock=True)
        check_open(proposal, now)
        given = store.proposals.approvals_of(conn, proposal.id)
        seat = check_approver(manager, proposal, given, partner=partner, payload_hash=payload_hash)
        sheet = terms or terms_in_force(conn)
        _check_recommended(conn, sheet, proposal)
        approval = Approval(proposal.id, manager.id, seat, proposal.payload_hash, now)
        store.proposals.insert_approval(conn, approval)
        state = approval_state(
            sheet, proposal, board_of(store.users.board_managers(conn)), [*given, approval]
        )
        act.note(
            "proposals.approve",
            f"proposal:{proposal.id}",
            {"partner": seat, "payload_hash": proposal.payload_hash, "satisfied": state.satisfied},
        )
        keys: tuple[str, ...] = ()
        if state.satisfied:
            keys = tuple(e.key for e in _execute(conn, proposal, sheet, manager, now))
            act.note("proposals.execute", f"proposal:{proposal.id}", {"entries": list(keys)})
        return ApprovalOutcome(
            store.proposals.get_proposal(conn, proposal.id), state.satisfied, state, keys
        )


def reject(
    db: Database,
    actor: User,
    proposal_id: int,
    *,
    reason: str = "",
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> Proposal:
    """Reject an open proposal, saying why; a sitting manager of either partner may (parity cuts
    both ways)."""
    with door.act(db, actor, "proposals.approve", interface=interface, now=now) as act:
        if len(reason.strip()) < 3:  # checked after the permission: strangers learn nothing
            raise InputError(
                [
                    Problem(
                        Message("a rejection says why"),
                        field="reason",
                        expected=Message("a reason for the record"),
                    )
                ]
            )
        conn, now, manager = act.tx, act.now, act.user
        proposal = store.proposals.get_proposal(conn, proposal_id, lock=True)
        check_open(proposal, now)
        store.proposals.close_proposal(
            conn, proposal, ProposalStatus.REJECTED, by=manager.id, at=now, reason=reason
        )
        act.note("proposals.reject", f"proposal:{proposal.id}", {"reason": reason})
        return store.proposals.get_proposal(conn, proposal.id)
