"""Partner statements: a capital account statement for one partner and quarter."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from jointfund.fund import statements as cases
from jointfund.governance import User
from jointfund.http.api.permit import Permit
from jointfund.http.api.schemas.common import ERROR_RESPONSES
from jointfund.http.api.schemas.operations import StatementOut, statement_out
from jointfund.http.state import StateDep

router = APIRouter(prefix="/api/statements", tags=["statements"], responses=ERROR_RESPONSES)


@router.get("/{partner}/{quarter}", response_model=StatementOut)
def capital_statement(
    ctx: StateDep,
    user: Annotated[User, Depends(Permit("statements.read"))],
    partner: Annotated[str, Path(max_length=8, examples=["US"])],
    quarter: Annotated[str, Path(max_length=8, examples=["2026Q1"])],
) -> StatementOut:
    """Opening, movements and closing of a partner's capital over a quarter (e.g. 2026Q1)."""
    found = cases.capital_statement(
        ctx.books, user, partner, quarter, stale_after_days=ctx.settings.fx_stale_days
    )
    return statement_out(found)
