"""The one strict reading of days, months and quarters, and the range of days the books accept.

Every reader, command-line option and API field reads a day through `parse_day` (exactly
YYYY-MM-DD, no ISO week or compact spellings) and holds it to `EARLIEST`..`LATEST`: no fact
of a fund for Ukraine predates 1991, and a year like 9999 is a typo that, once booked in an
append-only journal, could never be undone. Receipts and executed facts are also held to
"not after the day of submission" (`not_after`).
"""

from __future__ import annotations

import re
from datetime import date

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message

EARLIEST = date(1991, 1, 1)
LATEST = date(2100, 12, 31)
DAY = "YYYY-MM-DD"
_DAY = re.compile(r"\A([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_MONTH = re.compile(r"\A([0-9]{4})-([0-9]{2})\Z")
_QUARTER = re.compile(r"\A([0-9]{4})-?[Qq]([1-4])\Z")
RANGE = Message("a day from {first} to {last}", first=EARLIEST, last=LATEST)
# What a day field expects: the one spelling and the range (the problems' "expected" text).
DAY_EXPECTED = Message("YYYY-MM-DD ({range})", range=RANGE)


def day_or_reason(text: str) -> tuple[date | None, str]:
    """The day `text` spells exactly as YYYY-MM-DD within range, or (None, why not)."""
    match = _DAY.match(text)
    if match is None:
        return None, Message("not a date: {text!r}", text=text[:200])
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None, Message("no such date: {text!r}", text=text)
    if not EARLIEST <= day <= LATEST:
        return None, _outside(text)
    return day, ""


def _outside(text: object) -> Message:
    """Why a day, month or quarter outside the books' years is refused."""
    return Message(
        "{text} is outside {first}–{last}", text=text, first=EARLIEST.year, last=LATEST.year
    )


def late_reason(day: date, not_after: date | None) -> str:
    """Why `day` is refused as later than `not_after` (the day of submission), or ""."""
    if not_after is not None and day > not_after:
        return Message("{day} is in the future (today is {today})", day=day, today=not_after)
    return ""


def parse_day(
    text: object,
    *,
    field: str,
    file: str | None = None,
    row: int | None = None,
    not_after: date | None = None,
) -> date:
    """A day written exactly as YYYY-MM-DD, in range (and not after `not_after`), or an
    InputError naming where."""
    if isinstance(text, date):
        day: date | None = text
        reason = "" if EARLIEST <= text <= LATEST else _outside(text)
    elif isinstance(text, str):
        day, reason = day_or_reason(text.strip())
    else:
        day, reason = None, Message("a date must be written as text")
    if day is not None and not reason:
        reason = late_reason(day, not_after)
    if reason or day is None:
        expected = (
            DAY_EXPECTED
            if not_after is None
            else Message("YYYY-MM-DD, no later than {day} ({range})", day=not_after, range=RANGE)
        )
        raise InputError([Problem(reason, file, row, field, expected)])
    return day


def check_day(
    day: date, *, field: str, not_after: date | None = None, file: str | None = None
) -> None:
    """Refuse, naming the field, a day already parsed that lies outside the range or after
    `not_after`."""
    parse_day(day, field=field, not_after=not_after, file=file)


def month_or_reason(text: str) -> tuple[date | None, str]:
    """The first day of the month `text` spells exactly as YYYY-MM in range, or (None, why)."""
    match = _MONTH.match(text)
    if match is None:
        return None, Message("not a month: {text!r}", text=text[:200])
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        return None, Message("no such month: {text!r}", text=text)
    if not EARLIEST.year <= year <= LATEST.year:
        return None, _outside(text)
    return date(year, month, 1), ""


def quarter_or_reason(text: str) -> tuple[tuple[int, int] | None, str]:
    """(year, quarter) of `2026Q1` / `2026-Q1` in range, or (None, why not)."""
    match = _QUARTER.match(text)
    if match is None:
        return None, Message("not a quarter: {text!r}", text=text[:200])
    year = int(match[1])
    if not EARLIEST.year <= year <= LATEST.year:
        return None, _outside(text)
    return (year, int(match[2])), ""
