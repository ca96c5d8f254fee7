"""Capital accounts: each partner's account and share, as booked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from jointfund.fund import capital as cases
from jointfund.governance import User
from jointfund.http.api.permit import Permit
from jointfund.http.api.schemas.common import ERROR_RESPONSES, Day
from jointfund.http.api.schemas.operations import CapitalOut, capital_out
from jointfund.http.state import BooksDep

router = APIRouter(prefix="/api/capital", tags=["capital"], responses=ERROR_RESPONSES)


@router.get("", response_model=CapitalOut)
def capital_accounts(
    db: BooksDep, user: Annotated[User, Depends(Permit("capital.read"))], as_of: Day | None = None
) -> CapitalOut:
    """Every partner's capital account on `as_of` (or now)."""
    return capital_out(cases.capital_accounts(db, user, as_of=as_of), as_of)
