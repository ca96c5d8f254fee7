"""Transparency: the EITI summary data of the fund's inflows, public and without a token."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from jointfund.fund.report_data import transparency_report
from jointfund.http.api.schemas.common import ERROR_RESPONSES
from jointfund.http.state import BooksDep
from jointfund.reports.transparency import transparency_json

router = APIRouter(prefix="/api/transparency", tags=["transparency"], responses=ERROR_RESPONSES)


@router.get("", response_model=dict[str, Any])
def transparency(
    db: BooksDep, year: Annotated[int | None, Query(ge=1900, le=2200)] = None
) -> dict[str, Any]:
    """Who paid what to which government entity under which licence, with totals (public)."""
    return transparency_json(transparency_report(db, year))
