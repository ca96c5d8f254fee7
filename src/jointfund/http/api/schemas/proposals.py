"""Proposal shapes: what is proposed, who approved which payload, and each partner's standing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from jointfund.fund.committees import step_dict
from jointfund.fund.proposal_views import ProposalView
from jointfund.governance import (
    Approval,
    ApprovalState,
    Proposal,
    ProposalKind,
    ProposalStatus,
    in_words,
)
from jointfund.http.api.schemas.committees import CommitteeStepOut


class ProposalIn(BaseModel):
    """A new proposal: its kind and the payload the board will approve."""

    kind: ProposalKind
    payload: dict[str, Any] = Field(
        examples=[{"amount": "1000000.00", "currency": "USD", "on": "2026-06-30"}]
    )
    expires_at: datetime | None = None


class AmendIn(BaseModel):
    """A replacement payload; approvals of the old one stop counting."""

    payload: dict[str, Any]


class ApproveIn(BaseModel):
    """An approval, bound to the payload hash the manager reviewed."""

    payload_hash: str = Field(min_length=64, max_length=64, pattern="^[0-9a-f]{64}$")


class RejectIn(BaseModel):
    """A rejection and why."""

    reason: str = Field(min_length=3, max_length=2000)


class ApprovalOut(BaseModel):
    """One manager's approval of one payload."""

    user_id: int
    partner: str
    payload_hash: str
    approved_at: datetime
    counts: bool = Field(description="True when it approves the current payload")


class PartnerApprovalOut(BaseModel):
    """Where one partner stands on the current payload."""

    partner: str
    approved: bool
    approved_by: list[int]


class ProposalOut(BaseModel):
    """A proposal with its status now and every partner's approval status."""

    id: int
    kind: ProposalKind
    status: ProposalStatus
    payload: dict[str, Any]
    in_words: str = Field(description="What approving the payload decides, in plain words")
    payload_hash: str
    revision: int
    created_by: int
    created_at: datetime
    expires_at: datetime | None
    executed_at: datetime | None
    closed_by: int | None
    reason: str
    rule: str = Field(description="unanimous, each_partner or majority")
    satisfied: bool
    partners: list[PartnerApprovalOut]
    approvals: list[ApprovalOut]
    committee: CommitteeStepOut | None = Field(
        default=None, description="The committee that recommends it first, when routed"
    )
    acting: dict[str, str] = Field(
        default_factory=dict, description="Partner -> the entity its managers act through"
    )


def _partners(state: ApprovalState) -> list[PartnerApprovalOut]:
    return [
        PartnerApprovalOut(
            partner=p,
            approved=bool(state.counted.get(p)),
            approved_by=sorted(int(u) for u in state.counted.get(p, ())),
        )
        for p in state.rule.partners
    ]


def proposal_out(
    proposal: Proposal,
    status: ProposalStatus,
    approvals: list[Approval] | tuple[Approval, ...],
    state: ApprovalState,
) -> ProposalOut:
    """A proposal, its approvals and the rule's verdict as the API shape."""
    return ProposalOut(
        id=proposal.id,
        kind=proposal.kind,
        status=status,
        payload=dict(proposal.payload),
        in_words=in_words(proposal.kind, proposal.payload),
        payload_hash=proposal.payload_hash,
        revision=proposal.revision,
        created_by=proposal.created_by,
        created_at=proposal.created_at,
        expires_at=proposal.expires_at,
        executed_at=proposal.executed_at,
        closed_by=proposal.closed_by,
        reason=proposal.reason,
        rule=state.rule.kind.value,
        satisfied=state.satisfied,
        partners=_partners(state),
        approvals=[
            ApprovalOut(
                user_id=a.user_id,
                partner=a.partner,
                payload_hash=a.payload_hash,
                approved_at=a.approved_at,
                counts=a.payload_hash == proposal.payload_hash,
            )
            for a in approvals
        ],
    )


def view_out(view: ProposalView) -> ProposalOut:
    """A listed proposal as its API shape."""
    out = proposal_out(view.proposal, view.status, list(view.approvals), view.state)
    step = step_dict(view.committee)
    out.committee = CommitteeStepOut.model_validate(step) if step is not None else None
    out.acting = dict(view.acting)
    return out


class ProposalPageOut(BaseModel):
    """Proposals in id order after a cursor; `next` fetches the following page."""

    items: list[ProposalOut]
    next: str | None = Field(description="The next page's URL, or null on the last page")


class ApprovalOutcomeOut(BaseModel):
    """What an approval did: recorded only, or recorded and executed the proposal."""

    executed: bool
    entry_keys: list[str]
    proposal: ProposalOut
