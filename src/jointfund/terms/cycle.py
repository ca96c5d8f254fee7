"""The contribution cycle: how a partner's share of state receipts actually reaches the fund.

Under the 30 Apr 2025 agreement as implemented (Budget Code as amended 3 Jul 2025; Cabinet
Resolution 1616 of 10 Dec 2025) eligible receipts go to the state budget's special fund; the
Treasury, the State Geology Service and the Tax Service report by 15 March of the next year;
the PPP Agency transfers the year's amount by 1 April; its annual report is due by 1 May; the
State Audit Service audits every year. The partnership's books credit capital only when the
transfer arrives, at the transfer date's official rate. A term sheet without a cycle (the
February and March 2025 drafts) credits each receipt on its own day at that day's rate.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from jointfund.i18n.message import Message

_PartnerId = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,8}$")]
_Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
_Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]


class DeadlineKind(StrEnum):
    """What a statutory deadline of the cycle asks for."""

    REPORT = "report"
    TRANSFER = "transfer"
    ANNUAL_REPORT = "annual_report"
    AUDIT = "audit"


class AccrualPeriod(StrEnum):
    """The span of receipts one transfer settles."""

    CALENDAR_YEAR = "calendar_year"


class FxDate(StrEnum):
    """Whose day's official rate turns the transferred amount into capital."""

    TRANSFER_DATE = "transfer_date"


class _CycleModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class CycleDeadline(_CycleModel):
    """One statutory deadline, a day of the year after the accrual period."""

    id: _Slug
    kind: DeadlineKind
    what: Annotated[str, StringConstraints(min_length=1)]
    who: Annotated[str, StringConstraints(min_length=1)]
    month: Annotated[int, Field(ge=1, le=12)]
    day: Annotated[int, Field(ge=1, le=31)]
    source: _Url
    note: str = ""  # what is assumed or uncertain about this deadline

    def due_on(self, period_year: int) -> date:
        """The deadline for the receipts of `period_year`."""
        return date(period_year + 1, self.month, self.day)


class ContributionCycle(_CycleModel):
    """Receipts credited to `partner` accrue outside the fund and reach it by transfer."""

    partner: _PartnerId
    accrual: Annotated[str, StringConstraints(min_length=1)]  # where receipts wait, in words
    accrual_period: AccrualPeriod = AccrualPeriod.CALENDAR_YEAR
    fx_date: FxDate = FxDate.TRANSFER_DATE
    deadlines: Annotated[tuple[CycleDeadline, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _one_transfer(self) -> ContributionCycle:
        """Exactly one deadline is the transfer's; ids are single."""
        kinds = [d.kind for d in self.deadlines]
        if kinds.count(DeadlineKind.TRANSFER) != 1:
            raise ValueError(Message("the cycle needs exactly one deadline of kind transfer"))
        ids = [d.id for d in self.deadlines]
        if len(set(ids)) != len(ids):
            raise ValueError(Message("deadline ids must be unique"))
        return self

    @property
    def transfer(self) -> CycleDeadline:
        """The deadline by which the period's amount must reach the fund."""
        return next(d for d in self.deadlines if d.kind is DeadlineKind.TRANSFER)

    def period_of(self, received_on: date) -> int:
        """The accrual period (a year) a receipt of `received_on` belongs to (the books sum
        the register by the same year: `store.transfers.accrual_sums`)."""
        return received_on.year

    def transfer_due(self, period_year: int) -> date:
        """When the receipts of `period_year` must have been transferred."""
        return self.transfer.due_on(period_year)
