"""Contributions: list them, record cash and transfers (in kind: routes/in_kind.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from jointfund.clock import utcnow
from jointfund.errors import InputError, Problem
from jointfund.fund import contributions as cases
from jointfund.fund import cycle_report, transfers
from jointfund.governance import Interface, User
from jointfund.http.api.permit import Permit
from jointfund.http.api.schemas.common import ERROR_RESPONSES, Day
from jointfund.http.api.schemas.cycle import CycleOut, TransferIn
from jointfund.http.api.schemas.operations import (
    CashContributionIn,
    ContributionOut,
    ContributionRecordedOut,
    contribution_out,
)
from jointfund.http.state import BooksDep
from jointfund.i18n.message import Message
from jointfund.money import AmountError, parse_amount

router = APIRouter(prefix="/api/contributions", tags=["contributions"], responses=ERROR_RESPONSES)
Recorder = Annotated[User, Depends(Permit("contributions.record"))]


def _minor(text: str, currency: str, field: str) -> int:
    try:
        return parse_amount(text, currency, allow_negative=False)
    except AmountError as exc:
        raise InputError(
            [Problem(exc.problems[0].message, field=field, expected=Message("e.g. 1000.00"))]
        ) from None


@router.get("", response_model=list[ContributionOut])
def list_contributions(
    db: BooksDep,
    user: Annotated[User, Depends(Permit("contributions.read"))],
    as_of: Annotated[Day | None, Query()] = None,
) -> list[ContributionOut]:
    """Every contribution by value date; in kind once its assessed value is approved."""
    return [contribution_out(r) for r in cases.list_all(db, user, as_of=as_of)]


@router.post("/cash", response_model=ContributionRecordedOut)
def record_cash(db: BooksDep, user: Recorder, body: CashContributionIn) -> ContributionRecordedOut:
    """Book a cash contribution to capital; the same partner and reference again is a no-op."""
    row, created = cases.record_cash(
        db,
        user,
        partner=body.partner,
        amount_minor=_minor(body.amount, body.currency, "amount"),
        currency=body.currency,
        value_date=body.value_date,
        reference=body.reference,
        usd_rate=body.usd_rate,
        interface=Interface.API,
    )
    return ContributionRecordedOut(created=created, contribution=contribution_out(row))


@router.get("/transfers", response_model=CycleOut)
def list_transfers(
    db: BooksDep,
    user: Annotated[User, Depends(Permit("contributions.read"))],
    as_of: Annotated[Day | None, Query()] = None,
) -> CycleOut:
    """Accruals due to the fund and the transfers that settle them, period by period."""
    report = cycle_report.cycle_report(db, user, as_of=as_of or utcnow().date())
    return CycleOut.model_validate(cycle_report.report_dict(report))


@router.post("/transfers", response_model=ContributionRecordedOut)
def record_transfer(db: BooksDep, user: Recorder, body: TransferIn) -> ContributionRecordedOut:
    """Book a transfer of accrued receipts: capital credited at the transfer day's rate."""
    row, created = transfers.record_transfer(
        db,
        user,
        amount_minor=_minor(body.amount, body.currency, "amount"),
        currency=body.currency,
        transfer_date=body.transfer_date,
        period_year=body.period,
        reference=body.reference,
        interface=Interface.API,
    )
    return ContributionRecordedOut(created=created, contribution=contribution_out(row))
