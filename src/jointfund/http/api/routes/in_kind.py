"""In-kind aid as reported: cost reports, valuations, recommendations, the board proposal,
and each report's chain with what it still needs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from jointfund.errors import InputError, Problem
from jointfund.fund import in_kind as cases
from jointfund.fund import in_kind_status as status
from jointfund.governance import Interface, User
from jointfund.http.api.permit import Permit
from jointfund.http.api.schemas.common import ERROR_RESPONSES
from jointfund.http.api.schemas.in_kind import (
    CostReportIn,
    InKindChainOut,
    InKindProposalIn,
    InKindProposalOut,
    RecommendationIn,
    StepOut,
    ValuationIn,
)
from jointfund.http.state import BooksDep
from jointfund.i18n.message import Message
from jointfund.money import AmountError, parse_amount

router = APIRouter(
    prefix="/api/contributions/in-kind", tags=["contributions"], responses=ERROR_RESPONSES
)
Recorder = Annotated[User, Depends(Permit("contributions.record"))]


def _usd(text: str, field: str) -> int:
    try:
        return parse_amount(text, "USD", allow_negative=False)
    except AmountError as exc:
        raise InputError(
            [Problem(exc.problems[0].message, field=field, expected=Message("e.g. 1000.00"))]
        ) from None


@router.get("", response_model=list[InKindChainOut])
def chains(
    db: BooksDep, user: Annotated[User, Depends(Permit("contributions.read"))]
) -> list[InKindChainOut]:
    """Each cost report's chain and the step it still needs."""
    return [
        InKindChainOut.model_validate(status.chain_dict(c)) for c in status.in_kind_chains(db, user)
    ]


@router.post("/cost-reports", response_model=StepOut)
def cost_report(db: BooksDep, user: Recorder, body: CostReportIn) -> StepOut:
    """Record a cost report (or its next revision); the same report again is a no-op."""
    items = [
        cases.Item(i.description, _usd(i.cost, f"items[{n}].cost"))
        for n, i in enumerate(body.items, start=1)
    ]
    row, created = cases.file_cost_report(
        db,
        user,
        reference=body.reference,
        reported_on=body.reported_on,
        items=items,
        partner=body.partner,
        kind=body.kind,
        reporter=body.reporter,
        illustrative=body.illustrative,
        interface=Interface.API,
    )
    return StepOut(id=row.id, hash=row.content_hash, created=created)


@router.post("/valuations", response_model=StepOut)
def valuation(db: BooksDep, user: Recorder, body: ValuationIn) -> StepOut:
    """Record the consultant's valuation of a cost report's current revision."""
    row, created = cases.file_valuation(
        db,
        user,
        cost_report=body.cost_report,
        reference=body.reference,
        consultant=body.consultant,
        method=body.method,
        assessed_minor=_usd(body.assessed_value, "assessed_value"),
        valued_on=body.valued_on,
        evidence=[cases.Evidence(e.reference, e.sha256) for e in body.evidence],
        interface=Interface.API,
    )
    return StepOut(id=row.id, hash=row.content_hash, created=created)


@router.post("/recommendations", response_model=StepOut)
def recommendation(
    db: BooksDep,
    user: Annotated[User, Depends(Permit("proposals.approve"))],
    body: RecommendationIn,
) -> StepOut:
    """Record the Audit Committee's recommendation (a committee member records it)."""
    row, created = cases.recommend(
        db,
        user,
        valuation_id=body.valuation_id,
        assessed_minor=_usd(body.assessed_value, "assessed_value"),
        recommended_on=body.recommended_on,
        note=body.note,
        interface=Interface.API,
    )
    return StepOut(id=row.id, hash=row.content_hash, created=created)


@router.post("/proposals", response_model=InKindProposalOut)
def propose(
    db: BooksDep,
    user: Annotated[User, Depends(Permit("proposals.create"))],
    body: InKindProposalIn,
) -> InKindProposalOut:
    """Put the recommended value to the board; managers approve it at /api/proposals."""
    made = status.propose_approval(db, user, body.cost_report, on=body.on, interface=Interface.API)
    return InKindProposalOut(id=made.id, payload=dict(made.payload), payload_hash=made.payload_hash)
