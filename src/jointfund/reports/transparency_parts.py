"""A payment's line of the summary data from parts spelled once, for the streamed exports.

A public export runs to millions of payments, and each line repeats what its stream, licence
and period already said on other lines. So each such part is spelled once, by the format's
own generic spelling of those cells, and kept; a line joins the kept parts with the payment's
own figures (its receipt day, amounts and flag), spelled here by integer arithmetic. The CSV
and JSON writers give the same bytes as their generic paths (property tests pin both).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from jointfund.money import exponent
from jointfund.reports.tables import Cell
from jointfund.reports.transparency import (
    ROW_COLUMNS,
    FiledPayment,
    PublicLicence,
    row_cells,
    transparency_row,
)

Spell = Callable[[Sequence[str], Sequence[Cell]], str]
"""A format's spelling of some cells of a line, given their column names."""

Line = tuple[str, str, str, str, str, str, str, str, str, str, str, str]
"""year, stream, holder, form, period (spelled parts), receipt day, currency (spelled part),
amount, fund share, budget share, fund share in USD (exact decimal text) and the flag."""


def major_text(minor: int, places: int) -> str:
    """`str(major(minor, currency))` for a currency of `places` decimals: the integer's digits
    with a point put in (half the cost of dividing, a third of the Decimal's)."""
    if places == 0:
        return str(minor)
    if minor < 0:
        return "-" + major_text(-minor, places)
    digits = str(minor).rjust(places + 1, "0")
    return f"{digits[:-places]}.{digits[-places:]}"


class LineParts:
    """The parts of lines already spelled, each keyed by the one input that decides it: the
    stream (entity, GFS code and label, name, payment form), the licence (holder, register id,
    deposit, resources, oblast), the period (fiscal year, period) and the currency."""

    def __init__(self, usd: str, spell: Spell) -> None:
        self.usd = usd
        self.usd_places = exponent(usd)
        self.spell = spell
        self.streams: dict[str, tuple[str, str]] = {}
        self.licences: dict[str, str] = {}
        self.periods: dict[str, tuple[str, str]] = {}
        self.currencies: dict[str, tuple[str, int]] = {}
        self.days: dict[date, str] = {}

    def _part(self, cells: Sequence[Cell], start: int, stop: int) -> str:
        return self.spell(ROW_COLUMNS[start:stop], cells[start:stop])

    def _learn(self, p: FiledPayment, licence: PublicLicence) -> None:
        """Spell the parts of this payment's line not yet kept, the generic way, and keep
        them. A register of 20,000 licences meets a new licence every tenth line or so:
        spelling only its part, not the whole line, took a JSON export of 200,092 payments
        from 101,000-103,000 to 116,000-122,000 rows/s, and the CSV from 110,000-112,000 to
        135,000-138,000 (7 Dec, in process, alternating runs)."""
        cells = row_cells(transparency_row(p, licence), self.usd)
        if p.stream not in self.streams:
            self.streams[p.stream] = (self._part(cells, 1, 6), self._part(cells, 12, 13))
        if licence.licence_id not in self.licences:
            self.licences[licence.licence_id] = self._part(cells, 6, 12)
        if p.period not in self.periods:
            self.periods[p.period] = (self._part(cells, 0, 1), self._part(cells, 13, 14))
        if p.currency not in self.currencies:
            self.currencies[p.currency] = (self._part(cells, 15, 16), exponent(p.currency))

    def line(self, p: FiledPayment, licence: PublicLicence) -> Line:
        """One payment's parts, in column order."""
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
        return (
            year,
            stream,
            holder,
            form,
            period,
            day,
            currency,
            major_text(p.gross_minor, places),
            major_text(p.fund_minor, places),
            major_text(p.budget_minor, places),
            major_text(p.reporting_minor, self.usd_places),
            "true" if p.eligible and p.fund_minor != 0 else "false",
        )
