"""The compliance calendar's shapes."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class CalendarItemOut(BaseModel):
    """One statutory deadline and where it stands."""

    kind: str = Field(description="report, transfer, annual_report, audit or rent_payment")
    deadline_id: str
    what: str
    who: str
    period: str
    due_on: date
    declare_by: date | None
    status: str = Field(description="met, met late, due or overdue")
    done_on: date | None
    amounts: dict[str, str]
    reference: str | None
    breaks: list[str] = Field(description="The rules it breaks, with their article")
    source: str
    licence_id: str | None


class RentOut(BaseModel):
    """Every rent filing as of the day, counted, and where the page of them stands."""

    filings: int = Field(description="Rent filings (newest versions received by the day)")
    met: int
    met_late: int
    flagged: int = Field(description="Rent filings that break a Tax Code rule")
    shown: int = Field(description="Rent filings in `items`")
    next: str | None = Field(description="The next page of rent filings, or null after the last")


class CalendarOut(BaseModel):
    """Every statutory deadline of the cycle on one day, and a page of rent filings (newest
    receipt first) with the counts of all of them."""

    as_of: date
    counts: dict[str, int] = Field(description="Statuses of every deadline and rent filing")
    flagged: int = Field(description="Rent filings that break a Tax Code rule")
    rent: RentOut | None = Field(description="Null when rent was not asked for")
    items: list[CalendarItemOut] = Field(
        description="The cycle's deadlines by due date, then the page of rent filings"
    )


class DeadlineIn(BaseModel):
    """A statutory report received or audit done: idempotent by deadline, period, reference."""

    deadline_id: str = Field(min_length=1, max_length=80, examples=["treasury-receipts-report"])
    period: int = Field(ge=2000, le=2200)
    done_on: date
    reference: str = Field(min_length=1, max_length=200)
    note: str = Field(default="", max_length=2000)


class DeadlineRecordedOut(BaseModel):
    """The record and whether this request made it."""

    id: int
    created: bool
    deadline_id: str
    period: int
    done_on: date
    reference: str
