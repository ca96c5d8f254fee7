"""Proposals as they are read: each with its status now, the approvals that count for its
payload and the committee step it waits on; listed a page at a time or shown one by one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from jointfund import store
from jointfund.clock import utcnow
from jointfund.errors import InputError, Problem
from jointfund.fund import committees
from jointfund.fund.setup import terms_in_force
from jointfund.governance import (
    Approval,
    ApprovalState,
    Proposal,
    ProposalStatus,
    User,
    approval_state,
    board_of,
    effective_status,
    require,
)
from jointfund.governance.committees import CommitteeStep, Members
from jointfund.i18n.message import Message
from jointfund.store import Database, Tx
from jointfund.terms import TermSheet


@dataclass(frozen=True, slots=True)
class ProposalView:
    """A proposal as listed: its status now and the approvals that count for its payload."""

    proposal: Proposal
    status: ProposalStatus
    approvals: Sequence[Approval]
    state: ApprovalState
    committee: CommitteeStep | None = None
    # Partner -> the entity its managers act through (the U.S. side's general partner).
    acting: Mapping[str, str] = field(default_factory=dict)


def _view(
    conn: Tx,
    proposal: Proposal,
    terms: TermSheet,
    now: datetime,
    seated: tuple[Mapping[str, frozenset[str]], Members] | None = None,
) -> ProposalView:
    """A proposal's view now; `seated`: the board and the committees' sitting members when
    the caller has read them in this transaction (a list of proposals reads them once, not
    once per proposal: checking each manager's chained row per proposal made the list grow
    with proposals times managers)."""
    board, members = seated if seated is not None else _seated(conn)
    given = store.proposals.approvals_of(conn, proposal.id)
    state = approval_state(terms, proposal, board, given)
    step = committees.committee_step(conn, terms, proposal, members)
    gp = terms.governance.general_partner
    acting = {gp.acts_for: gp.name} if gp is not None else {}
    return ProposalView(proposal, effective_status(proposal, now), given, state, step, acting)


def _seated(conn: Tx) -> tuple[Mapping[str, frozenset[str]], Members]:
    """The sitting board and the committees' sitting members, read once."""
    return board_of(store.users.board_managers(conn)), committees.sitting_members(conn)


def list_proposals(
    db: Database,
    actor: User,
    *,
    status: ProposalStatus | str | None = None,
    terms: TermSheet | None = None,
    now: datetime | None = None,
    after: int = 0,
    limit: int | None = None,
) -> list[ProposalView]:
    """Proposals in id order with their status as of now (expired ones show as expired): those
    after id `after`, the first `limit` that match (each view costs queries of its own)."""
    require(actor, "proposals.read")
    now = now or utcnow()
    try:
        wanted = ProposalStatus(status) if status is not None else None
    except ValueError:
        choices = ", ".join(s.value for s in ProposalStatus)
        raise InputError(
            [
                Problem(
                    Message("unknown proposal status {status!r}", status=status),
                    field="status",
                    expected=choices,
                )
            ]
        ) from None
    with db.read() as conn:
        sheet = terms or terms_in_force(conn)
        seated = _seated(conn)
        views: list[ProposalView] = []
        for stored in store.proposals.list_proposals(conn):
            if stored.id <= after:
                continue
            view = _view(conn, stored, sheet, now, seated)
            if wanted is None or view.status is wanted:
                views.append(view)
                if len(views) == limit:
                    break
    return views


def show_proposal(
    db: Database, actor: User, proposal_id: int, *, now: datetime | None = None
) -> ProposalView:
    """One proposal with its approvals."""
    require(actor, "proposals.read")
    with db.read() as conn:
        return _view(
            conn,
            store.proposals.get_proposal(conn, proposal_id),
            terms_in_force(conn),
            now or utcnow(),
        )
