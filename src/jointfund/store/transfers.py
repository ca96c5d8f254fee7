"""Transfers of accrued receipts, the register of accruals they settle, and the cycle's
statutory deadlines met (Res. 1616)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from jointfund.clock import stamp
from jointfund.errors import ConflictError
from jointfund.i18n.message import Message
from jointfund.store.filing_totals import latest_receipt
from jointfund.store.row_chain import chain_inserted
from jointfund.store.tables.operations import (
    contribution_transfers,
    contributions,
    deadline_records,
)
from jointfund.store.tables.registry import (
    filing_accrual_days,
    filing_accrual_licences,
    filings,
)


@dataclass(frozen=True, slots=True)
class AccrualRow:
    """One filing's share due to the fund but held outside it until a transfer."""

    payer_reference: str
    version: int
    licence_id: str
    period: str
    stream: str
    received_on: date
    currency: str
    fund_minor: int
    reporting_minor: int  # at the receipt day's rate: an indication, not the credit
    fx_rate: str | None


@dataclass(frozen=True, slots=True)
class TransferRow:
    """A transfer as stored: the contribution it is and the period it settles."""

    contribution_id: int
    partner: str
    reference: str
    transfer_date: date
    currency: str
    amount_minor: int
    usd_minor: int
    rate: str | None
    entry_key: str | None
    period_year: int
    due_on: date
    accrued_minor: int


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def accruals(conn: Connection, account: str) -> list[AccrualRow]:
    """The newest version of every filing whose share for `account` accrued without an entry.

    A filing whose newest version was booked directly, or reached the fund with nothing, is
    not due any more; earlier versions give way to the newest.
    """
    refs = (
        select(filings.c.payer_reference)
        .where(filings.c.credit_account == account, filings.c.entry_key.is_(None))
        .scalar_subquery()
    )
    rows = conn.execute(
        select(filings)
        .where(filings.c.payer_reference.in_(refs))
        .order_by(filings.c.payer_reference, filings.c.version)
    ).all()
    newest: dict[str, Any] = {}
    for row in rows:
        newest[row.payer_reference] = row
    return [
        AccrualRow(
            payer_reference=r.payer_reference,
            version=int(r.version),
            licence_id=r.licence_id,
            period=r.period,
            stream=r.stream,
            received_on=_day(r.received_on),
            currency=r.currency,
            fund_minor=int(r.fund_minor),
            reporting_minor=int(r.reporting_minor),
            fx_rate=r.fx_rate,
        )
        for r in sorted(newest.values(), key=lambda r: (_day(r.received_on), r.payer_reference))
        if r.credit_account == account and r.entry_key is None and int(r.fund_minor)
    ]


@dataclass(frozen=True, slots=True)
class AccrualSum:
    """Accrued shares summed per accrual year (the year of receipt) and currency, and per
    licence and stream when asked for by licence (otherwise both None)."""

    year: int
    licence_id: str | None
    stream: str | None
    currency: str
    filings: int
    fund_minor: int
    reporting_minor: int


def accrual_sums(
    conn: Connection, account: str, *, as_of: date | None = None, by_licence: bool = False
) -> list[AccrualSum]:
    """The register of `accruals` summed, received up to `as_of` (every day when None): under
    a contribution cycle every filing accrues until a transfer, so a national register's year
    is hundreds of thousands of rows. Per year and currency it is read from the kept days
    (`filing_accrual_days`); per licence and stream from the kept years
    (`filing_accrual_licences`), but for a day before the newest receipt, whose own year is
    summed from its filings up to that day."""
    if not by_licence:
        return _kept_accrual_sums(conn, account, as_of)
    newest = latest_receipt(conn)
    if as_of is None or newest is None or as_of >= newest:
        found = _kept_licence_sums(conn, account, None)
    else:
        found = [
            *_kept_licence_sums(conn, account, as_of.year - 1),
            *_licence_sums_of_year(conn, account, as_of),
        ]
    # Sorted here, not by the database: its collation may not order text as Python does.
    return sorted(found, key=lambda a: (a.year, a.licence_id or "", a.stream or "", a.currency))


def _kept_licence_sums(conn: Connection, account: str, last_year: int | None) -> list[AccrualSum]:
    """Per year received, licence, stream and currency, from the kept years."""
    k = filing_accrual_licences.c
    stmt = select(
        k.accrual_year,
        k.licence_id,
        k.stream,
        k.currency,
        k.payments,
        k.fund_minor,
        k.reporting_minor,
    ).where(k.credit_account == account)
    if last_year is not None:
        stmt = stmt.where(k.accrual_year <= f"{last_year:04d}")
    return [
        AccrualSum(int(r[0]), r[1], r[2], r[3], int(r[4]), int(r[5]), int(r[6]))
        for r in conn.execute(stmt)
    ]


def _licence_sums_of_year(conn: Connection, account: str, as_of: date) -> list[AccrualSum]:
    """`as_of`'s year summed from its filings received up to that day (newest versions)."""
    f, g = filings.alias("f"), filings.alias("g")
    newer = (
        select(g.c.id)
        .where(g.c.payer_reference == f.c.payer_reference, g.c.version > f.c.version)
        .exists()
    )
    keys = [f.c.licence_id, f.c.stream, f.c.currency]
    stmt = (
        select(*keys, func.count(), func.sum(f.c.fund_minor), func.sum(f.c.reporting_minor))
        .where(
            f.c.credit_account == account,
            f.c.entry_key.is_(None),
            f.c.fund_minor != 0,
            f.c.received_on.between(date(as_of.year, 1, 1), as_of),
            ~newer,
        )
        .group_by(*keys)
    )
    return [
        AccrualSum(as_of.year, r[0], r[1], r[2], int(r[3]), int(r[4]), int(r[5]))
        for r in conn.execute(stmt)
    ]


def _kept_accrual_sums(conn: Connection, account: str, as_of: date | None) -> list[AccrualSum]:
    """Per year of receipt and currency, from the days kept by the imports."""
    k = filing_accrual_days.c
    stmt = select(k.received_on, k.currency, k.payments, k.fund_minor, k.reporting_minor).where(
        k.credit_account == account
    )
    if as_of is not None:
        stmt = stmt.where(k.received_on <= as_of)
    years: dict[tuple[int, str], list[int]] = {}
    for day, currency, payments, fund, reporting in conn.execute(stmt):
        sums = years.setdefault((_day(day).year, str(currency)), [0, 0, 0])
        sums[0] += int(payments)
        sums[1] += int(fund)
        sums[2] += int(reporting)
    return [
        AccrualSum(year, None, None, currency, *sums)
        for (year, currency), sums in sorted(years.items())
    ]


def insert_transfer(
    conn: Connection, *, contribution_id: int, period_year: int, due_on: date, accrued_minor: int
) -> None:
    """Record the period a transfer settles and what the register held for it."""
    key = conn.execute(
        contribution_transfers.insert().values(
            contribution_id=contribution_id,
            period_year=period_year,
            due_on=due_on,
            accrued_minor=accrued_minor,
        )
    ).inserted_primary_key
    chain_inserted(conn, contribution_transfers, key)


def transfers(conn: Connection, *, as_of: date | None = None) -> list[TransferRow]:
    """Every transfer by date (then id)."""
    c, t = contributions, contribution_transfers
    stmt = (
        select(c, t.c.period_year, t.c.due_on, t.c.accrued_minor)
        .join(t, t.c.contribution_id == c.c.id)
        .order_by(c.c.value_date, c.c.id)
    )
    if as_of is not None:
        stmt = stmt.where(c.c.value_date <= as_of)
    return [
        TransferRow(
            contribution_id=int(r.id),
            partner=r.partner,
            reference=r.reference,
            transfer_date=_day(r.value_date),
            currency=r.currency,
            amount_minor=int(r.amount),
            usd_minor=int(r.usd_amount),
            rate=r.rate,
            entry_key=r.entry_key,
            period_year=int(r.period_year),
            due_on=_day(r.due_on),
            accrued_minor=int(r.accrued_minor),
        )
        for r in conn.execute(stmt)
    ]


@dataclass(frozen=True, slots=True)
class DeadlineRecord:
    """A statutory deadline met for one period: when, and the document that shows it."""

    id: int
    deadline_id: str
    period_year: int
    done_on: date
    reference: str
    note: str


def insert_deadline_record(
    conn: Connection,
    *,
    fields: dict[str, Any],
    recorded_by: int,
    at: datetime,
) -> tuple[DeadlineRecord, bool]:
    """Store that a deadline was met, idempotent by deadline, period and reference; (row,
    created). The same key with other facts is a conflict."""
    t = deadline_records
    found = conn.execute(
        select(t).where(
            t.c.deadline_id == fields["deadline_id"],
            t.c.period_year == fields["period_year"],
            t.c.reference == fields["reference"],
        )
    ).first()
    if found is not None:
        row = _record(found)
        if (row.done_on, row.note) != (fields["done_on"], fields["note"]):
            raise ConflictError(
                Message(
                    "{deadline} {year} {reference} was recorded with other details",
                    deadline=fields["deadline_id"],
                    year=fields["period_year"],
                    reference=fields["reference"],
                )
            )
        return row, False
    key = conn.execute(
        t.insert().values(recorded_by=recorded_by, recorded_at=stamp(at), **fields)
    ).inserted_primary_key
    assert key is not None
    chain_inserted(conn, t, key)
    new = conn.execute(select(t).where(t.c.id == int(key[0]))).one()
    return _record(new), True


def _record(row: Any) -> DeadlineRecord:
    return DeadlineRecord(
        id=int(row.id),
        deadline_id=row.deadline_id,
        period_year=int(row.period_year),
        done_on=_day(row.done_on),
        reference=row.reference,
        note=row.note,
    )


def deadline_records_of(conn: Connection) -> list[DeadlineRecord]:
    """Every deadline met, by date."""
    t = deadline_records
    return [_record(r) for r in conn.execute(select(t).order_by(t.c.done_on, t.c.id))]
