"""The contribution cycle's shapes: accruals by period, transfers, what remains."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class TransferIn(BaseModel):
    """A transfer of accrued receipts: idempotent by reference."""

    amount: str = Field(description="Decimal string, e.g. 75000000.00", examples=["1000.00"])
    currency: str = Field(default="UAH", min_length=3, max_length=3)
    transfer_date: date
    period: int = Field(ge=2000, le=2200, description="Year of the receipts it settles")
    reference: str = Field(min_length=1, max_length=128)


class AccrualLineOut(BaseModel):
    """Accrued shares of one period by budget code, licence, stream and currency."""

    budget_code: str | None
    licence_id: str
    stream: str
    currency: str
    filings: int
    amount: str
    indicative_usd: str = Field(description="At each receipt day's rate; not the credit")


class TransferOut(BaseModel):
    """A transfer and the capital it credited."""

    contribution_id: int
    reference: str
    transfer_date: date
    currency: str
    amount: str
    usd: str
    rate: str | None
    entry_key: str | None
    accrued_when_transferred: str


class PeriodOut(BaseModel):
    """One accrual period reconciled: accrued, transferred, remaining, by currency."""

    period: int
    period_end: date
    due_on: date
    status: str = Field(
        description="accruing, due, overdue, settled, settled late, over-transferred"
    )
    accrued: dict[str, str]
    transferred: dict[str, str]
    remaining: dict[str, str]
    credited_usd: str
    indicative_usd: str
    fx_difference_usd: str
    notes: list[str]
    lines_total: int = Field(description="Accrual lines of the period (all are in `lines`)")
    lines: list[AccrualLineOut]
    transfers: list[TransferOut]


class CycleOut(BaseModel):
    """The contribution cycle on one day."""

    as_of: date
    terms_id: str
    partner: str
    accrual: str
    transfer_rule: str
    fx_date: str
    periods: list[PeriodOut]
