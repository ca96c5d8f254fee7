"""The payments sheet of the EITI summary data as CSV, spelled a line at a time for streaming.

A public export runs to millions of payments, and each line repeats what its stream, licence
and period already said on other lines. So each of those parts is spelled once, by the same
writer `csv_rows` uses, and a line joins the parts with the payment's own figures: the same
bytes as `csv_text(transparency_tables(report)[0])` (a property test pins every line to the
generic path) at about four times its rate (benchmarks/scale.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date

from jointfund.money import exponent
from jointfund.reports.csv_out import csv_rows, csv_text
from jointfund.reports.tables import Cell, Table
from jointfund.reports.transparency import (
    ROW_COLUMNS,
    FiledPayment,
    PublicLicence,
    row_cells,
    transparency_row,
)

CHUNK = 5000  # lines a chunk: what `payments_csv` yields at a time


def _fields(cells: Sequence[Cell]) -> str:
    """Cells as csv_rows spells them inside a longer line (one empty field alone would be
    quoted, so a trailing empty field is spelled with them and cut off)."""
    return csv_rows([(*cells, "")])[:-3]


def major_text(minor: int, places: int) -> str:
    """`str(major(minor, currency))` for a currency of `places` decimals: the integer's digits
    with a point put in (half the cost of dividing, a third of the Decimal's)."""
    if places == 0:
        return str(minor)
    if minor < 0:
        return "-" + major_text(-minor, places)
    digits = str(minor).rjust(places + 1, "0")
    return f"{digits[:-places]}.{digits[-places:]}"


class _Spelling:
    """The parts of lines already spelled, each keyed by the one input that decides it: the
    stream (entity, GFS code and label, name, payment form), the licence (holder, register id,
    deposit, resources, oblast) and the period (fiscal year, period)."""

    def __init__(self, usd: str) -> None:
        self.usd_places = exponent(usd)
        self.usd = usd
        self.streams: dict[str, tuple[str, str]] = {}
        self.licences: dict[str, str] = {}
        self.periods: dict[str, tuple[str, str]] = {}
        self.currencies: dict[str, tuple[str, int]] = {}
        self.days: dict[date, str] = {}

    def _learn(self, p: FiledPayment, licence: PublicLicence) -> None:
        """Spell every part of this payment's line the generic way and keep them."""
        cells = row_cells(transparency_row(p, licence), self.usd)
        self.streams[p.stream] = (_fields(cells[1:6]), _fields(cells[12:13]))
        self.licences[licence.licence_id] = _fields(cells[6:12])
        self.periods[p.period] = (_fields(cells[0:1]), _fields(cells[13:14]))
        self.currencies[p.currency] = (_fields(cells[15:16]), exponent(p.currency))

    def line(self, p: FiledPayment, licence: PublicLicence) -> str:
        """One payment's line, ending in CRLF."""
        try:
            stream, form = self.streams[p.stream]
            holder = self.licences[licence.licence_id]
            year, period = self.periods[p.period]
            currency, places = self.currencies[p.currency]
        except KeyError:
            self._learn(p, licence)
            return self.line(p, licence)
        day = self.days.get(p.received_on)
        if day is None:
            day = self.days[p.received_on] = p.received_on.isoformat()
        flows = "true" if p.eligible and p.fund_minor != 0 else "false"
        usd = major_text(p.reporting_minor, self.usd_places)
        return (
            f"{year},{stream},{holder},{form},{period},{day},{currency},"
            f"{major_text(p.gross_minor, places)},{major_text(p.fund_minor, places)},"
            f"{major_text(p.budget_minor, places)},{usd},"
            f"{flows}\r\n"
        )


def payments_csv(
    payments: Iterable[FiledPayment], licences: Mapping[str, PublicLicence], usd: str
) -> Iterator[str]:
    """The header, then the payments' lines, `CHUNK` lines a chunk (memory does not grow with
    the payments)."""
    yield csv_text(Table("payments", ROW_COLUMNS, ()))
    spelling = _Spelling(usd)
    lines: list[str] = []
    for p in payments:
        lines.append(spelling.line(p, licences[p.licence_id]))
        if len(lines) == CHUNK:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)
