"""Governance as reported: the committees with their members; a member's recommendation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from jointfund.fund import committees as cases
from jointfund.governance import Interface, User
from jointfund.http.api.pagination import MAX_ID
from jointfund.http.api.permit import Permit
from jointfund.http.api.schemas.committees import CommitteeStepOut, GovernanceOut, RecommendIn
from jointfund.http.api.schemas.common import ERROR_RESPONSES
from jointfund.http.state import BooksDep

router = APIRouter(tags=["governance"], responses=ERROR_RESPONSES)


@router.get("/api/governance/committees", response_model=GovernanceOut)
def committees(
    db: BooksDep, user: Annotated[User, Depends(Permit("committees.read"))]
) -> GovernanceOut:
    """Committees (seats per partner with sources and standing, rule, members, routes), the
    general partner and the reserved matters under the terms in force."""
    return GovernanceOut.model_validate(cases.governance_dict(cases.governance(db, user)))


@router.post("/api/proposals/{proposal_id}/recommend", response_model=CommitteeStepOut)
def recommend(
    db: BooksDep,
    user: Annotated[User, Depends(Permit("committees.recommend"))],
    proposal_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    body: RecommendIn,
) -> CommitteeStepOut:
    """Recommend a proposal's current payload to the board as a member of its committee."""
    step = cases.recommend(
        db, user, proposal_id, payload_hash=body.payload_hash, interface=Interface.API
    )
    return CommitteeStepOut.model_validate(cases.step_dict(step))
