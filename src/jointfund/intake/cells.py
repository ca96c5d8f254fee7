"""Parsers for single cells of an input row; each returns the value or records a located Problem."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from jointfund.bounds import MAX_TEXT, text_problem
from jointfund.dates import DAY, DAY_EXPECTED, EARLIEST, LATEST, day_or_reason, month_or_reason
from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.money import AmountError, currency, format_amount, parse_amount

# A spreadsheet evaluates a cell starting with one of these as a formula (OWASP "CSV
# injection"); refusing them keeps our exports safe to open. Numeric cells are parsed by
# their own parsers, so negative numbers are judged there, not here.
FORMULA_START = frozenset("=+-@\t\r")
_ASCII_DIGITS = frozenset("0123456789")
_NON_FINITE = frozenset({"nan", "snan", "inf", "infinity"})
# More significant digits than any real FX rate or count has; also bounds Decimal's work.
_MAX_RATE_DIGITS = 30
_PERIOD = Message("YYYY-MM (a month) or YYYY-Qn (a quarter)")
_MAX_INT_DIGITS = 18
_FORMULA_MESSAGE = Message("looks like a spreadsheet formula")
_FORMULA_EXPECTED = Message("text not starting with =, +, -, @, tab or carriage return")


def width_problem(cells: int, width: int) -> Message:
    """Why a row of `cells` cells does not fit a header of `width` columns."""
    if cells > width:
        return Message(
            "row has more cells than the header ({cells}, not {width})", cells=cells, width=width
        )
    return Message(
        "row has fewer cells than the header ({cells}, not {width})", cells=cells, width=width
    )


def is_digits(text: str) -> bool:
    """Tell whether text is one or more ASCII digits (str.isdigit also takes other scripts)."""
    return bool(text) and text.isascii() and text.isdigit()


def looks_like_formula(raw: str) -> bool:
    """Tell whether a cell, before or after trimming spaces, starts like a spreadsheet formula."""
    return raw[:1] in FORMULA_START or raw.strip()[:1] in FORMULA_START


def check_header(
    header: Sequence[str] | None,
    file: str,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
) -> dict[str, int]:
    """Map each column name to its position, or raise naming every missing or unknown column."""
    if not header or not any(h.strip() for h in header):
        raise InputError([Problem(Message("file is empty"), file=file)])
    names = [h.strip() for h in header]
    expected = ", ".join(required + optional)
    problems = [
        Problem(Message("missing column {column!r}", column=c), file, 1, c, expected)
        for c in required
        if c not in names
    ]
    problems += [
        Problem(Message("unknown column {column!r}", column=c), file, 1, c, expected)
        for c in names
        if c not in required and c not in optional
    ]
    problems += [
        Problem(Message("column {column!r} appears more than once", column=c), file, 1, c, expected)
        for i, c in enumerate(names)
        if c in names[:i]
    ]
    if problems:
        raise InputError(problems)
    return {name: i for i, name in enumerate(names)}


class Cells:
    """The cell parsers for one row: each returns the value, or None after adding a Problem."""

    __slots__ = ("file", "problems", "row")

    def __init__(self, file: str, row: int | None, problems: list[Problem]) -> None:
        """Locate every problem found in this row at `file`:`row`."""
        self.file = file
        self.row = row
        self.problems = problems

    def problem(self, field: str | None, message: str, expected: str | None = None) -> None:
        """Record one problem in this row."""
        self.problems.append(Problem(message, self.file, self.row, field, expected))

    def text(
        self, field: str, value: str, *, required: bool = True, limit: int = MAX_TEXT
    ) -> str | None:
        """Trimmed text of at most `limit` characters; "" for a blank optional cell; refuses
        blanks, formula-like text and characters no database stores (NUL)."""
        stripped = value.strip()
        if not stripped:
            if required:
                self.problem(field, Message("missing value"), Message("a value"))
                return None
            return ""
        if looks_like_formula(value):
            self.problem(field, _FORMULA_MESSAGE, _FORMULA_EXPECTED)
            return None
        if why := text_problem(stripped, limit):
            self.problem(field, why, Message("text of at most {limit} characters", limit=limit))
            return None
        return stripped

    def iso_date(self, field: str, value: str) -> date | None:
        """A calendar date written exactly as YYYY-MM-DD, within the books' range of days."""
        text = value.strip()
        if not text:
            self.problem(field, Message("missing date"), DAY)
            return None
        day, reason = day_or_reason(text)
        if day is None:
            self.problem(field, reason, DAY_EXPECTED)
        return day

    def in_range(self, field: str, day: date, expected: str) -> date | None:
        """A day already read (a spreadsheet cell, another spelling) held to the books' range."""
        if EARLIEST <= day <= LATEST:
            return day
        self.problem(
            field,
            Message(
                "{day} is outside {first}–{last}", day=day, first=EARLIEST.year, last=LATEST.year
            ),
            expected,
        )
        return None

    def month(self, field: str, value: str) -> date | None:
        """The first day of a month written exactly as YYYY-MM, within the books' range."""
        text = value.strip()
        if not text:
            self.problem(field, Message("missing month"), Message("YYYY-MM"))
            return None
        first, reason = month_or_reason(text)
        if first is None:
            self.problem(
                field,
                reason,
                Message("YYYY-MM ({first}–{last})", first=EARLIEST.year, last=LATEST.year),
            )
        return first

    def period(self, field: str, value: str) -> tuple[str, date] | None:
        """A filing period: a month (YYYY-MM) or a quarter (YYYY-Qn), as (label, last day).

        Rent is declared by quarter for most minerals and by month for oil, gas and condensate
        (Tax Code Art. 257), so a filing names either.
        """
        text = value.strip()
        year, dash, rest = text.partition("-")
        if dash and len(year) == 4 and is_digits(year) and rest[:1] in ("Q", "q"):
            quarter = rest[1:]
            if (
                len(quarter) == 1
                and quarter in "1234"
                and EARLIEST.year <= int(year) <= LATEST.year
            ):
                last_month = int(quarter) * 3
                last = calendar.monthrange(int(year), last_month)[1]
                return f"{year}-Q{quarter}", date(int(year), last_month, last)
            self.problem(field, Message("no such quarter: {text!r}", text=text), _PERIOD)
            return None
        first = self.month(field, value)
        if first is None:
            return None
        last = calendar.monthrange(first.year, first.month)[1]
        return f"{first.year:04d}-{first.month:02d}", first.replace(day=last)

    def choice(self, field: str, value: str, choices: Sequence[str]) -> str | None:
        """One of a fixed set of lower-case words."""
        text = value.strip()
        if text in choices:
            return text
        expected = Message("one of {choices}", choices=", ".join(choices))
        if not text:
            self.problem(field, Message("missing value"), expected)
        elif text.lower() in choices:
            self.problem(
                field, Message("{text!r} must be written in lower case", text=text), expected
            )
        else:
            self.problem(
                field, Message("unknown {field} {text!r}", field=field, text=text), expected
            )
        return None

    def flag(self, field: str, value: str) -> bool | None:
        """true or false; a blank cell gives None (callers compare the problem count)."""
        text = value.strip()
        if text in ("true", "false"):
            return text == "true"
        if text:
            self.problem(
                field,
                Message("not true or false: {text!r}", text=text),
                Message("true, false or blank"),
            )
        return None

    def currency_code(self, field: str, value: str) -> str | None:
        """An ISO 4217 code that amounts can be booked in."""
        text = value.strip()
        try:
            currency(text)
        except InputError as exc:
            for found in exc.problems:
                self.problem(field, found.message, found.expected)
            return None
        return text

    def amount(
        self, field: str, value: str, currency_code: str, *, positive: bool = False
    ) -> int | None:
        """A non-negative amount (positive when asked) in minor units of the currency."""
        # The example is written as the file must write it (a point, no grouping), in any language.
        expected = Message(
            "an amount in {currency} such as {example}",
            currency=currency_code,
            example=format_amount(150000, currency_code),
        )
        try:
            minor = parse_amount(value, currency_code, allow_negative=False)
        except AmountError as exc:
            self.problem(field, exc.problems[0].message, expected)
            return None
        if positive and minor == 0:
            self.problem(field, Message("amount must be more than zero"), expected)
            return None
        return minor

    def integer(
        self, field: str, value: str, *, minimum: int = 0, maximum: int = 10**_MAX_INT_DIGITS - 1
    ) -> int | None:
        """A whole number written with ASCII digits only, within [minimum, maximum]."""
        text = value.strip()
        expected = Message(
            "a whole number from {minimum} to {maximum}", minimum=minimum, maximum=maximum
        )
        if not is_digits(text):
            self.problem(field, Message("not a whole number: {text!r}", text=text), expected)
            return None
        if len(text.lstrip("0")) > _MAX_INT_DIGITS or not minimum <= int(text) <= maximum:
            self.problem(field, Message("out of range: {text}", text=text), expected)
            return None
        return int(text)

    def rate(self, field: str, value: str, *, decimal_comma: bool = False) -> Decimal | None:
        """A positive, finite decimal written without exponent (a comma point when asked)."""
        text = value.strip()
        expected = Message("a positive decimal such as 41.2345")
        if decimal_comma:
            if "," in text and "." in text:
                self.problem(
                    field,
                    Message("both a decimal comma and a point: {text!r}", text=text),
                    expected,
                )
                return None
            text = text.replace(",", ".")
        whole, point, fraction = text.lstrip("+-").partition(".")
        if not is_digits(whole) or (point and not is_digits(fraction)):
            self.problem(field, _rate_error(text), expected)
            return None
        if text[:1] in "+-":
            message = (
                Message("rate must be positive")
                if text[0] == "-"
                else Message("rate must not carry a sign")
            )
            self.problem(field, message, expected)
            return None
        if len((whole + fraction).lstrip("0")) > _MAX_RATE_DIGITS:
            self.problem(
                field,
                Message("more than {limit} significant digits", limit=_MAX_RATE_DIGITS),
                expected,
            )
            return None
        rate = Decimal(text)
        if rate == 0:
            self.problem(field, Message("rate must be more than zero"), expected)
            return None
        return rate


def _rate_error(text: str) -> str:
    """Explain why text is not a plain decimal rate."""
    if not text:
        return Message("missing rate")
    body = text.lstrip("+-").lower()
    if body in _NON_FINITE:
        return Message("not a finite number")
    if "e" in body and all(c in _ASCII_DIGITS or c in ".e+-" for c in body):
        return Message("exponent notation is not allowed")
    return Message("not a number: {text!r}", text=text)
