"""The compliance calendar: statutory deadlines with their status; record one met."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from jointfund.clock import utcnow
from jointfund.fund import calendar as cases
from jointfund.governance import Interface, User
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
    rent: Annotated[bool, Query(description="Include every rent filing's deadline")] = True,
) -> CalendarOut:
    """Every statutory deadline with its status (met, met late, due, overdue) and amounts."""
    day = as_of or utcnow().date()
    items = cases.compliance_calendar(db, user, as_of=day, rent=rent)
    return CalendarOut.model_validate(cases.calendar_dict(items, day))


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
