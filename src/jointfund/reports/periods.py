"""Reporting periods: quarters, months and years as date ranges, and filing due dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from jointfund.dates import EARLIEST, LATEST
from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.terms.rent import payment_due, period_span

_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, slots=True)
class Period:
    """A closed date range [start, end] with the label people use for it (2026Q1, 2026-03, 2026)."""

    label: str
    start: date
    end: date

    @property
    def opening_day(self) -> date:
        """The day whose closing balances open this period."""
        return self.start - timedelta(days=1)


def is_year(text: str) -> bool:
    """Four ASCII digits."""
    return len(text) == 4 and text.isascii() and text.isdigit()


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def parse_period(text: str, *, field: str = "period") -> Period:
    """A period from `2026Q1` / `2026-Q1`, `2026-03` or `2026`; InputError otherwise."""
    value = text.strip()
    year_text = value[:4]
    if is_year(year_text) and not EARLIEST.year <= int(year_text) <= LATEST.year:
        raise InputError(
            [
                Problem(
                    Message(
                        "{value} is outside {first}–{last}",
                        value=value,
                        first=EARLIEST.year,
                        last=LATEST.year,
                    ),
                    field=field,
                    expected=Message("2026Q1, 2026-03 or 2026"),
                )
            ]
        )
    if m := _QUARTER.match(value):
        year, quarter = int(m[1]), int(m[2])
        first = 3 * quarter - 2
        return Period(f"{year}Q{quarter}", date(year, first, 1), _month_end(year, first + 2))
    if (m := _MONTH.match(value)) and 1 <= int(m[2]) <= 12:
        year, month = int(m[1]), int(m[2])
        return Period(f"{year}-{month:02d}", date(year, month, 1), _month_end(year, month))
    if m := _YEAR.match(value):
        year = int(m[1])
        return Period(str(year), date(year, 1, 1), date(year, 12, 31))
    raise InputError(
        [
            Problem(
                Message("not a period: {text!r}", text=text),
                field=field,
                expected=Message("2026Q1, 2026-03 or 2026"),
            )
        ]
    )


def due_date(filing_period: str) -> date:
    """When a receipt for a month (`YYYY-MM`) or a quarter (`YYYY-Qn`) is due: the Tax Code's
    rent payment deadline (Art. 257: 10 days after the declaration, itself 40 days after a
    quarter or 20 after a month)."""
    span = period_span(filing_period)
    if span is None:
        raise InputError(
            [
                Problem(
                    Message("not a filing period: {period!r}", period=filing_period),
                    field="period",
                    expected=Message("YYYY-MM or YYYY-Qn"),
                )
            ]
        )
    return payment_due(span)
