"""Fund metrics: NAV, IRR and multiples for the fund and each partner, recoupment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from jointfund.clock import utcnow
from jointfund.fund import metrics as cases
from jointfund.governance import User
from jointfund.http.api.permit import Permit
from jointfund.http.api.schemas.common import ERROR_RESPONSES, Day
from jointfund.http.api.schemas.operations import MetricsOut, metrics_out
from jointfund.http.state import StateDep

router = APIRouter(prefix="/api/metrics", tags=["metrics"], responses=ERROR_RESPONSES)


@router.get("", response_model=MetricsOut)
def fund_metrics(
    ctx: StateDep,
    user: Annotated[User, Depends(Permit("metrics.read"))],
    as_of: Day | None = None,
) -> MetricsOut:
    """NAV by line, capital, shares, IRR/TVPI/DPI/RVPI and recoupment on `as_of` (default
    today), with a warning for every stale or missing FX rate behind them."""
    found = cases.fund_metrics(
        ctx.books,
        user,
        as_of=as_of or utcnow().date(),
        stale_after_days=ctx.settings.fx_stale_days,
    )
    return metrics_out(found)
