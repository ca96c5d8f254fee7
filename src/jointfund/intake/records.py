"""The records the intake readers produce: licences, monthly revenue filings and FX rates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Generic, Literal, TypeVar, cast

from jointfund.terms import Instrument, RevenueStream, Territory

LicenceStatus = Literal["active", "suspended", "revoked", "expired"]
LICENCE_STATUSES: tuple[LicenceStatus, ...] = ("active", "suspended", "revoked", "expired")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class LicenceRecord:
    """One licence, special permit or PSA from the register, resources as canonical slugs."""

    licence_id: str
    holder: str
    holder_registry_id: str
    deposit: str
    resources: tuple[str, ...]
    oblast: str
    instrument: Instrument
    issued_on: date
    status: LicenceStatus
    # The register's explicit "new licence" override; None lets the issue date decide.
    is_new: bool | None = None
    territory: Territory = Territory.CONTROLLED


@dataclass(frozen=True, slots=True)
class FilingRecord:
    """One payer's monthly filing of a state receipt arising under a licence."""

    licence_id: str
    period: str
    period_end: date
    stream: RevenueStream
    gross_minor: int
    currency: str
    payer_reference: str
    # Every field is required here; the reader supplies the file format's defaults
    # (version 1, no costs, received at the period's end).
    version: int
    costs_minor: int
    received_on: date


class _Settable:
    """FilingRecord's slots without the freeze, so a record can be filled by plain stores."""

    __slots__ = FilingRecord.__slots__


def new_filing_record(
    licence_id: str,
    period: str,
    period_end: date,
    stream: RevenueStream,
    gross_minor: int,
    currency: str,
    payer_reference: str,
    version: int,
    costs_minor: int,
    received_on: date,
) -> FilingRecord:
    """FilingRecord(...) at a fifth of the cost, for readers building millions of them.

    A frozen dataclass's __init__ stores each field through object.__setattr__, which is
    most of the per-row budget on bulk imports. Same slots mean same memory layout, so the
    object filled here can take FilingRecord as its class and is then frozen like any other.
    """
    record: Any = _Settable()
    record.licence_id = licence_id
    record.period = period
    record.period_end = period_end
    record.stream = stream
    record.gross_minor = gross_minor
    record.currency = currency
    record.payer_reference = payer_reference
    record.version = version
    record.costs_minor = costs_minor
    record.received_on = received_on
    record.__class__ = FilingRecord
    return cast(FilingRecord, record)


@dataclass(frozen=True, slots=True)
class FxRecord:
    """On day `on`, 1 unit of `base` is worth `rate` units of `quote`."""

    on: date
    base: str
    quote: str
    rate: Decimal
    # The rate as the file printed it when the file gave the pair the other way round
    # (quote/base); `rate` is then its inverse. Kept so a store can compare like with like.
    inverted_from: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Read(Generic[T]):
    """What a reader found in one file: each record with the line it was read from."""

    path: str
    items: list[tuple[int, T]] = field(default_factory=list)
    # Rows the reader passed over on purpose (e.g. banking metals in a central-bank table).
    skipped: int = 0

    def records(self) -> list[T]:
        """The records alone, in file order."""
        return [record for _, record in self.items]
