"""Fund operation shapes: contributions, capital accounts, metrics and partner statements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from pydantic import BaseModel, Field

from jointfund.fund.capital import CapitalTable
from jointfund.fund.contributions import ContributionRow
from jointfund.fund.figures import metrics_figures
from jointfund.fund.metrics import FundMetrics, Performance
from jointfund.fund.statements import CapitalStatement
from jointfund.http.api.schemas.common import Day, MoneyOut, money
from jointfund.ledger.chart import REPORTING_CURRENCY

USD = REPORTING_CURRENCY  # the books' one reporting currency (ledger.chart)


def ratio(value: Fraction | None, places: int = 6) -> str | None:
    """An exact ratio as a decimal string rounded to `places` (None stays None)."""
    if value is None:
        return None
    return str(round(Decimal(value.numerator) / Decimal(value.denominator), places))


class CashContributionIn(BaseModel):
    """A cash contribution: idempotent by partner and bank reference."""

    partner: str = Field(min_length=1, max_length=8, examples=["US"])
    amount: str = Field(description="Decimal string, e.g. 75000000.00", examples=["1000.00"])
    currency: str = Field(default="USD", min_length=3, max_length=3)
    value_date: Day
    reference: str = Field(min_length=1, max_length=128)
    usd_rate: Decimal | None = Field(default=None, gt=0, description="USD per unit, non-USD cash")


class ContributionOut(BaseModel):
    """A recorded contribution, in cash or in kind."""

    id: int
    partner: str
    form: str
    kind: str
    value_date: date
    amount: MoneyOut | None
    usd_amount: MoneyOut | None
    reference: str
    description: str
    entry_key: str | None
    values: dict[str, MoneyOut]
    approved_basis: str | None
    approved_value: MoneyOut | None
    proposal_id: int | None


def contribution_out(row: ContributionRow) -> ContributionOut:
    """A contribution row as its API shape."""
    return ContributionOut(
        id=row.id,
        partner=row.partner,
        form=row.form,
        kind=row.kind,
        value_date=row.value_date,
        amount=money(row.amount, row.currency) if row.amount is not None else None,
        usd_amount=money(row.usd_amount, USD) if row.usd_amount is not None else None,
        reference=row.reference,
        description=row.description,
        entry_key=row.entry_key,
        values={b: money(v, USD) for b, v in row.values.items()},
        approved_basis=row.approved_basis,
        approved_value=(money(row.approved_value, USD) if row.approved_value is not None else None),
        proposal_id=row.proposal_id,
    )


class ContributionRecordedOut(BaseModel):
    """The contribution and whether this request recorded it (False: it was there already)."""

    created: bool
    contribution: ContributionOut


class CapitalAccountOut(BaseModel):
    """One partner's capital account (USD) and ownership share."""

    partner: str
    contributions: MoneyOut
    income: MoneyOut
    unrealised: MoneyOut
    distributions: MoneyOut
    closing: MoneyOut
    share: str = Field(description="Exact fraction, e.g. 1/2")
    share_pct: str | None


class CapitalOut(BaseModel):
    """Every partner's capital account as booked (in kind at its approved assessed value)."""

    as_of: date | None
    accounts: list[CapitalAccountOut]
    unallocated: MoneyOut


def capital_out(table: CapitalTable, as_of: date | None) -> CapitalOut:
    """A capital table as its API shape."""
    return CapitalOut(
        as_of=as_of,
        accounts=[
            CapitalAccountOut(
                partner=p,
                contributions=money(a.contributions, USD),
                income=money(a.income, USD),
                unrealised=money(a.unrealised, USD),
                distributions=money(a.distributions, USD),
                closing=money(a.closing, USD),
                share=str(a.share),
                share_pct=ratio(a.share * 100, 4),
            )
            for p, a in table.accounts.items()
        ],
        unallocated=money(table.unallocated, USD),
    )


class PerformanceOut(BaseModel):
    """Paid in, distributed, NAV; IRR and the multiples (null before anything is paid in)."""

    paid_in: MoneyOut
    distributed: MoneyOut
    nav: MoneyOut
    irr: float | None
    tvpi: str | None
    dpi: str | None
    rvpi: str | None


def performance_out(p: Performance) -> PerformanceOut:
    """Performance figures as their API shape."""
    return PerformanceOut(
        paid_in=money(p.paid_in, USD),
        distributed=money(p.distributed, USD),
        nav=money(p.nav, USD),
        irr=None if p.irr is None else round(p.irr, 6),
        tvpi=ratio(p.tvpi),
        dpi=ratio(p.dpi),
        rvpi=ratio(p.rvpi),
    )


class RecoupmentOut(BaseModel):
    """How a partner's receipts and value compare with a published sum (not a debt)."""

    target: str
    partner: str
    amount: MoneyOut
    received_pct: str | None
    with_nav_pct: str | None
    source: str
    nature: str = Field(description="Always a comparison line: the Agreement creates no debt")


class FiguresPerformanceOut(BaseModel):
    """Paid in, distributed, NAV as decimal strings; IRR; multiples to four places."""

    paid_in: str
    distributed: str
    nav: str
    irr: float | None
    tvpi: str | None
    dpi: str | None
    rvpi: str | None


class NavLinesOut(BaseModel):
    """NAV by kind of line, in USD."""

    cash: str
    investments_cost: str
    investments_mark: str
    other_assets: str
    liabilities: str


class FxLineOut(BaseModel):
    """A foreign balance, the rate it was translated at and that rate's date and status."""

    account: str
    currency: str
    amount: str
    usd: str | None
    rate: str | None
    rate_date: str | None
    status: str = Field(description="current, stale (older than the limit) or missing")


class BridgeItemOut(BaseModel):
    """One step from partners' capital to NAV."""

    item: str
    label: str
    amount: str


class CapitalFiguresOut(BaseModel):
    """A partner's capital account, ownership share and share of NAV."""

    cash_contributions: str
    in_kind: str
    inflows: str
    contributions: str
    income: str
    unrealised: str
    distributions: str
    closing: str
    share: str | None
    nav_share: str
    nav_difference: str


class FiguresRecoupmentOut(BaseModel):
    """How far a partner has got toward a comparison line (a sum argued over, not a debt)."""

    target: str
    partner: str
    amount: str
    received_pct: str | None
    with_nav_pct: str | None
    source: str
    nature: str = Field(description="Always a comparison line: the Agreement creates no debt")


class MetricsOut(BaseModel):
    """The fund's figures on one date, field for field as `jointfund metrics --json` prints
    them and as the overview's JSON twin carries them under `metrics`."""

    as_of: date
    nav: str
    complete: bool = Field(description="false when a balance has no FX rate at all")
    warnings: list[str] = Field(description="stale or missing FX rates behind the figures")
    fx_stale_after_days: int
    nav_lines: NavLinesOut
    fx: list[FxLineOut]
    bridge: list[BridgeItemOut]
    capital: dict[str, CapitalFiguresOut]
    unallocated: str
    performance: dict[str, FiguresPerformanceOut]
    recoupment: list[FiguresRecoupmentOut]


def metrics_out(found: FundMetrics) -> MetricsOut:
    """Fund metrics as their API shape (the one shape of `fund.figures`)."""
    return MetricsOut.model_validate(metrics_figures(found))


class StatementLineOut(BaseModel):
    """One line of a capital account statement."""

    label: str
    amount: MoneyOut


class StatementOut(BaseModel):
    """ILPA-style capital account statement for one partner and quarter."""

    partner: str
    quarter: str
    start: date
    end: date
    lines: list[StatementLineOut]
    ownership: str
    nav_share: MoneyOut
    performance: PerformanceOut
    complete: bool = Field(description="false when a balance has no FX rate at all")
    warnings: list[str] = Field(description="stale or missing FX rates behind the figures")


def statement_out(found: CapitalStatement) -> StatementOut:
    """A capital statement as its API shape."""
    return StatementOut(
        partner=found.partner,
        quarter=found.quarter.label,
        start=found.quarter.start,
        end=found.quarter.end,
        lines=[StatementLineOut(label=k, amount=money(v, USD)) for k, v in found.rows()],
        ownership=str(found.ownership),
        nav_share=money(found.nav_share, USD),
        performance=performance_out(found.performance),
        complete=found.complete,
        warnings=list(found.warnings),
    )
