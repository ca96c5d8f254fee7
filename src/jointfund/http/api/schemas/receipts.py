"""Shapes of the state's records of receipts: Treasury receipts by budget code, subsoil
auctions, the imports that store them and the reconciliation by code."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from jointfund.fund.auctions import AuctionImport, StoredAuction
from jointfund.fund.treasury import ReceiptImport, ReceiptLine
from jointfund.http.api.schemas.common import MoneyOut, money
from jointfund.reports.code_reconciliation import UAH, CodeReconciliation


class ReceiptImportOut(BaseModel):
    """Figures an import stored new, revised (a new version) or found as stored."""

    source: str
    created: int
    revised: int
    unchanged: int


def receipt_import_out(done: ReceiptImport) -> ReceiptImportOut:
    """Import counts as their API shape."""
    return ReceiptImportOut(
        source=done.source, created=done.created, revised=done.revised, unchanged=done.unchanged
    )


class ReceiptOut(BaseModel):
    """One code's receipts in one month: the period amount from the year-to-date figure."""

    budget: str | None
    fund: str
    code: str
    name: str
    stream: str | None
    period: str
    covers_from: str
    amount: MoneyOut
    cumulative: MoneyOut
    fell: bool
    version: int
    source: str


def receipt_out(x: ReceiptLine) -> ReceiptOut:
    """A receipt line as its API shape."""
    return ReceiptOut(
        budget=x.budget or None,
        fund=x.fund_type,
        code=x.code,
        name=x.name,
        stream=x.stream,
        period=x.period,
        covers_from=x.covers_from,
        amount=money(x.period_minor, x.currency),
        cumulative=money(x.cumulative_minor, x.currency),
        fell=x.fell,
        version=x.version,
        source=x.source,
    )


class AuctionImportOut(BaseModel):
    """Auctions stored new, revised or as stored; other procedures; licences registered."""

    source: str
    created: int
    revised: int
    unchanged: int
    skipped: int
    licences_created: int
    licences_updated: int


def auction_import_out(done: AuctionImport) -> AuctionImportOut:
    """Import counts as their API shape."""
    return AuctionImportOut(
        source=done.source,
        created=done.created,
        revised=done.revised,
        unchanged=done.unchanged,
        skipped=done.skipped,
        licences_created=done.licences_created,
        licences_updated=done.licences_updated,
    )


class AuctionOut(BaseModel):
    """A subsoil auction: its proceeds, the licence it led to and the fund's share."""

    auction_id: str
    version: int
    status: str
    title: str
    region: str
    start_price: MoneyOut
    proceeds: MoneyOut | None
    contract_number: str | None
    signed_on: date | None
    winner: str | None
    winner_id: str | None
    licence_id: str | None
    counts_for_fund: bool
    fund_share: MoneyOut | None
    reason: str | None


def auction_out(a: StoredAuction) -> AuctionOut:
    """An auction as its API shape."""
    return AuctionOut(
        auction_id=a.auction_id,
        version=a.version,
        status=a.status,
        title=a.title,
        region=a.region,
        start_price=money(a.start_minor, a.currency),
        proceeds=None if a.proceeds_minor is None else money(a.proceeds_minor, a.currency),
        contract_number=a.contract_number,
        signed_on=a.contract_signed_on,
        winner=a.winner,
        winner_id=a.winner_id,
        licence_id=a.licence_id,
        counts_for_fund=a.counts,
        fund_share=None if a.fund_minor is None else money(a.fund_minor, a.currency),
        reason=a.reason,
    )


class CodeLineOut(BaseModel):
    """One code and month: the fund's share as filed, the Treasury's figure, what accrued."""

    budget_code: str
    stream: str
    period: str
    covers_from: str
    filings: int
    filed: MoneyOut
    treasury: MoneyOut
    accrued: MoneyOut
    booked_directly: MoneyOut


class YearLineOut(BaseModel):
    """One year: the special fund's receipts, what was transferred and booked."""

    year: int
    treasury: MoneyOut
    transferred: MoneyOut
    booked: MoneyOut


class CodeDifferenceOut(BaseModel):
    """One difference: its cause, code, month or year, size and detail."""

    cause: str
    budget_code: str
    period: str
    size: MoneyOut
    detail: str


class CodeReconciliationOut(BaseModel):
    """The reconciliation by budget code."""

    lines: list[CodeLineOut]
    years: list[YearLineOut]
    differences: list[CodeDifferenceOut]


def code_reconciliation_out(r: CodeReconciliation) -> CodeReconciliationOut:
    """The reconciliation as its API shape."""
    return CodeReconciliationOut(
        lines=[
            CodeLineOut(
                budget_code=x.code,
                stream=x.stream,
                period=x.period,
                covers_from=x.covers_from,
                filings=x.filings,
                filed=money(x.filed_minor, UAH),
                treasury=money(x.treasury_minor, UAH),
                accrued=money(x.accrued_minor, UAH),
                booked_directly=money(x.booked_minor, UAH),
            )
            for x in r.lines
        ],
        years=[
            YearLineOut(
                year=y.year,
                treasury=money(y.treasury_minor, UAH),
                transferred=money(y.transferred_minor, UAH),
                booked=money(y.booked_minor, UAH),
            )
            for y in r.years
        ],
        differences=[
            CodeDifferenceOut(
                cause=d.cause.value,
                budget_code=d.code,
                period=d.period,
                size=money(d.size_minor, UAH),
                detail=d.detail,
            )
            for d in r.differences
        ],
    )
