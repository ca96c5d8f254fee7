"""The public transparency data as people download it: the files (CSV, JSON and XLSX written
as the payments are read, the EITI workbook) built by the report writers.

Reads only, and public: no sign-in, no audit record per download (nothing is issued to
anyone; the administrator's `report transparency` records what the fund publishes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import BinaryIO

from jointfund.clock import utcnow
from jointfund.errors import InputError, NotFoundError, Problem
from jointfund.fund import report_data, said, transparency_data
from jointfund.i18n.message import Message
from jointfund.ledger.chart import REPORTING_CURRENCY
from jointfund.money import MissingRateError
from jointfund.money.rounding import round_ratio
from jointfund.reports.eiti_books import eiti_summary
from jointfund.reports.eiti_workbook import eiti_workbook_bytes
from jointfund.reports.transparency import (
    FiledPayment,
    TransparencyRow,
    json_head,
    json_totals,
    streamed_tables,
)
from jointfund.reports.transparency_csv import payments_csv
from jointfund.reports.transparency_json import json_chunks, payments_json_rows
from jointfund.reports.xlsx_out import write_workbook
from jointfund.store import Database
from jointfund.store.filing_totals import latest_receipt

EITI_CURRENCY = "UAH"  # Ukraine's EITI summary data is reported in hryvnias


def as_of(db: Database) -> date | None:
    """The newest receipt day of any filing: the public data are as filed up to that day."""
    with db.read() as conn:
        return latest_receipt(conn)


def transparency_csv(
    db: Database, year: int | None, seen: Callable[[], None] | None = None
) -> Iterator[bytes]:
    """The payments as CSV, read and written a chunk at a time (memory does not grow with the
    filings): the same bytes as the administrator's `report transparency --format csv`;
    `seen` is called once per payment written."""
    with transparency_data.streamed_payments(db, year) as (payments, licences):
        for chunk in payments_csv(_counted(payments, seen), licences, REPORTING_CURRENCY):
            yield chunk.encode("utf-8")


_FORMATS = ("csv", "xlsx", "json")  # what write_transparency writes


def transparency_json_stream(
    db: Database, year: int | None, seen: Callable[[], None] | None = None
) -> Iterator[bytes]:
    """The summary data as JSON, read and written a chunk of rows at a time (memory does not
    grow with the filings): the same bytes as the administrator's `report transparency
    --format json`. The totals are the sums the books keep (`verify` checks them)."""
    totals, _ = transparency_data.transparency_totals(db, year)
    usd = totals.reporting_currency
    with transparency_data.streamed_payments(db, year) as (payments, licences):
        rows = payments_json_rows(_counted(payments, seen), licences, usd)
        for chunk in json_chunks(json_head(totals), rows, json_totals(totals)):
            yield chunk.encode("utf-8")


def _counted(
    payments: Iterable[FiledPayment], seen: Callable[[], None] | None
) -> Iterable[FiledPayment]:
    """The payments, calling `seen` once each as they pass (as they are when None)."""
    if seen is None:
        return payments

    def counting() -> Iterator[FiledPayment]:
        for payment in payments:
            seen()
            yield payment

    return counting()


def write_transparency(db: Database, year: int | None, fmt: str, out: BinaryIO) -> int:
    """The summary data written to `out` as the payments are read, in memory flat in the
    filings: the payments as CSV; payments and totals as JSON, or as an XLSX workbook whose
    payments go on over further sheets past a sheet's row limit. Returns the payments
    written."""
    written = [0]

    def seen() -> None:
        written[0] += 1

    if fmt == "xlsx":
        totals, _ = transparency_data.transparency_totals(db, year)
        with transparency_data.streamed_payments(db, year) as (payments, licences):
            write_workbook(streamed_tables(_counted(payments, seen), licences, totals), out)
        return written[0]
    if fmt not in _FORMATS:
        choices = ", ".join(_FORMATS)
        raise InputError(
            [Problem(Message("unknown format {fmt!r}", fmt=fmt), field="format", expected=choices)]
        )
    chunks = transparency_csv if fmt == "csv" else transparency_json_stream
    for chunk in chunks(db, year, seen):
        out.write(chunk)
    return written[0]


def eiti_year(db: Database, year: int | None) -> int:
    """The fiscal year an EITI workbook covers: the one asked for, else the newest filed."""
    if year is not None:
        return year
    _, years = transparency_data.transparency_totals(db, None)
    if not years:
        raise NotFoundError(Message("no filed payments: there is no EITI summary to write"))
    return years[0]


def eiti_workbook(db: Database, year: int) -> bytes:
    """One fiscal year's EITI Summary Data workbook, amounts in hryvnias: a payment filed in
    another currency is converted at the fund's rate of its receipt day, and the USD rate
    of the template's Part 1 is the fund's rate on the year's last day (or today, if sooner)."""
    rates = report_data.fund_rates(db)
    report = transparency_data.transparency_report(db, year)
    last = min(date(year, 12, 31), utcnow().date())

    def in_hryvnias(row: TransparencyRow) -> int:
        if row.currency == EITI_CURRENCY:
            return row.amount_minor
        num, den, _ = rates.factor(row.currency, EITI_CURRENCY, row.received_on)
        return round_ratio(row.amount_minor * num, den)

    try:
        usd = rates.rate("USD", EITI_CURRENCY, last, max_age_days=31)
        summary = eiti_summary(
            report.rows,
            year,
            usd_rate=usd.rate,
            rate_source=f"the fund's stored USD/{EITI_CURRENCY} rate of {usd.on.isoformat()}",
            in_reporting=in_hryvnias,
            reporting_currency=EITI_CURRENCY,
            organisation=report_data.fund_title(db),
        )
    except MissingRateError as exc:
        raise InputError(
            [
                Problem(
                    said.reason(exc),
                    field="year",
                    expected=Message("a year the fund holds rates for"),
                )
            ]
        ) from None
    return eiti_workbook_bytes(summary)
