"""The compliance calendar: statutory deadlines with their status; record one met."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query

from jointfund.clock import utcnow
from jointfund.fund import calendar as cases
from jointfund.governance import Interface, User
from jointfund.http.api.pagination import MAX_ID, MAX_LIMIT
from jointfund.http.api.permit import Permit
from jointfund.http.api.schemas.calendar import (
    CalendarOut,
    DeadlineIn,
    DeadlineRecordedOut,
)
from jointfund.http.api.schemas.common import ERROR_RESPONSES
from jointfund.http.state import BooksDep

router = APIRouter(prefix="/api/calendar", tags=["calendar"], responses=ERROR_RESPONSES)


@router.get("", response_model=CalendarOut)
def calendar(
    db: BooksDep,
    user: Annotated[User, Depends(Permit("contributions.read"))],
    as_of: Annotated[date | None, Query()] = None,
    rent: Annotated[bool, Query(description="Include rent filings' deadlines")] = True,
    licence: Annotated[str | None, Query(max_length=64, description="One licence's rent")] = None,
    after: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Rent after this filing")
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Rent filings a page")
    ] = cases.RENT_PAGE,
) -> CalendarOut:
    """Every statutory deadline of the cycle with its status (met, met late, due, overdue) and
    amounts, the counts of every rent filing, and a page of rent filings, newest receipt
    first; follow `rent.next` for the next page."""
    day = as_of or utcnow().date()
    found = cases.compliance_calendar(
        db, user, as_of=day, rent=rent, after=after, limit=limit, licence_id=licence
    )
    data = cases.calendar_dict(found)
    if data["rent"] is not None and found.rent_next is not None:
        query = {"as_of": day.isoformat(), "licence": licence, "after": found.rent_next}
        params = {k: v for k, v in query.items() if v is not None} | {"limit": limit}
        data["rent"]["next"] = f"/api/calendar?{urlencode(params)}"
    return CalendarOut.model_validate(data)


@router.post("/records", response_model=DeadlineRecordedOut)
def record(
    db: BooksDep,
    user: Annotated[User, Depends(Permit("contributions.record"))],
    body: DeadlineIn,
) -> DeadlineRecordedOut:
    """Record a statutory report received or an audit done for a period."""
    row, created = cases.record_deadline(
        db,
        user,
        deadline_id=body.deadline_id,
        period_year=body.period,
        done_on=body.done_on,
        reference=body.reference,
        note=body.note,
        interface=Interface.API,
    )
    return DeadlineRecordedOut(
        id=row.id,
        created=created,
        deadline_id=row.deadline_id,
        period=row.period_year,
        done_on=row.done_on,
        reference=row.reference,
    )
