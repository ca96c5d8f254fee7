"""Registry shapes: licences, filings with the terms' decision, and import results."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from jointfund.fund.filings import FilingImport
from jointfund.fund.licences import UpsertCounts
from jointfund.http.api.schemas.common import MoneyOut, money
from jointfund.intake.records import LicenceRecord


class LicenceOut(BaseModel):
    """A registered licence."""

    licence_id: str
    holder: str
    holder_registry_id: str
    deposit: str
    resources: list[str]
    oblast: str
    instrument: str
    issued_on: date
    status: str
    territory: str


def licence_out(r: LicenceRecord) -> LicenceOut:
    """A licence record as its API shape."""
    return LicenceOut(
        licence_id=r.licence_id,
        holder=r.holder,
        holder_registry_id=r.holder_registry_id,
        deposit=r.deposit,
        resources=list(r.resources),
        oblast=r.oblast,
        instrument=r.instrument,
        issued_on=r.issued_on,
        status=r.status,
        territory=r.territory,
    )


class UpsertOut(BaseModel):
    """How many records an import created, changed, or found already stored."""

    created: int
    updated: int
    unchanged: int


def upsert_out(counts: UpsertCounts) -> UpsertOut:
    """Import counts as their API shape."""
    return UpsertOut(created=counts.created, updated=counts.updated, unchanged=counts.unchanged)


class FilingOut(BaseModel):
    """A stored filing version with the terms' decision on it."""

    id: int
    payer_reference: str
    version: int
    licence_id: str
    period: str
    period_end: date
    received_on: date
    stream: str
    gross: MoneyOut
    fund_share: MoneyOut
    budget_share: MoneyOut
    eligible: bool
    rule: str | None
    reason: str | None
    entry_key: str | None
    terms_id: str


class LicencePageOut(BaseModel):
    """Registered licences after a cursor (a licence id), by id; `next` fetches the following
    page; `count` is every licence the register holds."""

    items: list[LicenceOut]
    next: str | None
    count: int


class FilingPageOut(BaseModel):
    """Stored filings after a cursor (a filing id); `next` fetches the following page."""

    items: list[FilingOut]
    next: str | None


def filing_out(r: Any) -> FilingOut:
    """A stored filing row as its API shape."""
    ccy = str(r.currency)
    return FilingOut(
        id=int(r.id),
        payer_reference=r.payer_reference,
        version=int(r.version),
        licence_id=r.licence_id,
        period=r.period,
        period_end=r.period_end,
        received_on=r.received_on,
        stream=r.stream,
        gross=money(int(r.gross_minor), ccy),
        fund_share=money(int(r.fund_minor), ccy),
        budget_share=money(int(r.budget_minor), ccy),
        eligible=bool(r.eligible),
        rule=r.rule_id,
        reason=r.reason or None,
        entry_key=r.entry_key,
        terms_id=r.terms_id,
    )


class FilingImportOut(BaseModel):
    """What a filings upload did; re-uploading the same file books nothing new."""

    filings: int
    booked: int
    corrected: int
    unchanged: int
    ineligible: int
    entries: int
    fund_share: list[MoneyOut]
    rent_flags: list[str] = Field(
        default_factory=list, description="Rent filings breaking a Tax Code Art. 257 rule"
    )
    rent_flagged: int = Field(default=0, description="How many; the first 1,000 are worded")


def filing_import_out(done: FilingImport) -> FilingImportOut:
    """A filings import result as its API shape."""
    return FilingImportOut(
        filings=done.filings,
        booked=done.booked,
        corrected=done.corrected,
        unchanged=done.unchanged,
        ineligible=done.ineligible,
        entries=done.entries,
        fund_share=[money(v, c) for c, v in sorted(done.fund_minor_by_currency.items())],
        rent_flags=list(done.rent_flags),
        rent_flagged=done.rent_flagged,
    )
