"""Proposals and approvals: create, amend, approve (executing once), reject, list, show."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status

from jointfund.fund import proposal_views
from jointfund.fund import proposals as cases
from jointfund.governance import Interface, ProposalStatus, User
from jointfund.http.api.pagination import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, page_of
from jointfund.http.api.permit import Permit
from jointfund.http.api.schemas.common import ERROR_RESPONSES
from jointfund.http.api.schemas.proposals import (
    AmendIn,
    ApprovalOutcomeOut,
    ApproveIn,
    ProposalIn,
    ProposalOut,
    ProposalPageOut,
    RejectIn,
    view_out,
)
from jointfund.http.state import BooksDep

router = APIRouter(prefix="/api/proposals", tags=["proposals"], responses=ERROR_RESPONSES)
Reader = Annotated[User, Depends(Permit("proposals.read"))]
Creator = Annotated[User, Depends(Permit("proposals.create"))]
Approver = Annotated[User, Depends(Permit("proposals.approve"))]
ProposalId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("", response_model=ProposalPageOut)
def list_proposals(
    db: BooksDep,
    user: Reader,
    status: Annotated[ProposalStatus | None, Query()] = None,
    after: Annotated[int, Query(ge=0, le=MAX_ID, description="Proposals after this id")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> ProposalPageOut:
    """Proposals in id order after the cursor `after`, with their status now (past expiry
    shows as expired) and approvals; `next` is the following page's address, null on the
    last."""
    fetched = proposal_views.list_proposals(db, user, status=status, after=after, limit=limit + 1)
    query = {"status": status.value if status is not None else None}
    items, following = page_of(fetched, limit, lambda v: v.proposal.id, "/api/proposals", query)
    return ProposalPageOut(items=[view_out(v) for v in items], next=following)


@router.post("", response_model=ProposalOut, status_code=status.HTTP_201_CREATED)
def create_proposal(db: BooksDep, user: Creator, body: ProposalIn) -> ProposalOut:
    """Open a proposal after checking its payload; it executes once its approvals are in."""
    created = cases.propose(
        db, user, body.kind, body.payload, expires_at=body.expires_at, interface=Interface.API
    )
    return view_out(proposal_views.show_proposal(db, user, created.id))


@router.get("/{proposal_id}", response_model=ProposalOut)
def show_proposal(db: BooksDep, user: Reader, proposal_id: ProposalId) -> ProposalOut:
    """One proposal with each partner's approval status."""
    return view_out(proposal_views.show_proposal(db, user, proposal_id))


@router.put("/{proposal_id}/payload", response_model=ProposalOut)
def amend_proposal(
    db: BooksDep, user: Creator, proposal_id: ProposalId, body: AmendIn
) -> ProposalOut:
    """Replace an open proposal's payload; approvals of the old payload stop counting."""
    cases.amend(db, user, proposal_id, body.payload, interface=Interface.API)
    return view_out(proposal_views.show_proposal(db, user, proposal_id))


@router.post("/{proposal_id}/approve", response_model=ApprovalOutcomeOut)
def approve_proposal(
    db: BooksDep, user: Approver, proposal_id: ProposalId, body: ApproveIn
) -> ApprovalOutcomeOut:
    """Approve for the caller's own partner, naming the payload hash reviewed (a proposal amended
    since is refused); the approval completing the rule executes it."""
    done = cases.approve(
        db, user, proposal_id, payload_hash=body.payload_hash, interface=Interface.API
    )
    return ApprovalOutcomeOut(
        executed=done.executed,
        entry_keys=list(done.entry_keys),
        proposal=view_out(proposal_views.show_proposal(db, user, proposal_id)),
    )


@router.post("/{proposal_id}/reject", response_model=ProposalOut)
def reject_proposal(
    db: BooksDep, user: Approver, proposal_id: ProposalId, body: RejectIn
) -> ProposalOut:
    """Reject an open proposal, saying why (a sitting manager of either partner may)."""
    cases.reject(db, user, proposal_id, reason=body.reason, interface=Interface.API)
    return view_out(proposal_views.show_proposal(db, user, proposal_id))
