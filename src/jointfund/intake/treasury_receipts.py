"""Budget receipts by budget-classification code (Treasury / openbudget.gov.ua) as period amounts.

The file is the CSV openbudget.gov.ua's API serves (``localBudgetData?...&budgetItem=INCOMES``)
and the Treasury publishes: ``;``-separated, UTF-8 or Windows-1251, CRLF or LF, a header then
one row per period, fund and code, e.g.::

    REP_PERIOD;FUND_TYP;COD_BUDGET;COD_INCO;NAME_INC;ZAT_AMT;PLANS_AMT;FAKT_AMT
    01.2023;C;2555900000;13030100;Рентна плата за користування надрами ...;200000;;114.85

Read: ``REP_PERIOD`` (m.yyyy or mm.yyyy), ``FUND_TYP`` (C general fund, S special fund, T
total of both), ``COD_INCO`` (the 8-digit revenue code), ``NAME_INC`` and ``FAKT_AMT`` (the
amount received, UAH, a decimal point or comma, spaces allowed between digit groups, negative
when refunds exceed receipts); ``COD_BUDGET`` when present. Other columns (plans, ...) are
passed over. A ``,`` delimiter is accepted when the header has no ``;``.

``FAKT_AMT`` is cumulative from the start of the year. Each row becomes a receipt whose period
amount is its cumulative amount less the one of the same budget, fund and code in the latest
earlier month of that year reported (nothing before January). A month a code is missing from
is not guessed: the next reported month's amount covers it (``covers_from``). Cumulative
receipts do fall in real files, by refunds and reclassification (one local budget's 2023 file
on openbudget has 18 falls and 6 negative first months in 151 series), so a fall is not
refused: its receipt is flagged ``fell``, and its period amount is negative.
"""

from __future__ import annotations

import calendar
import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from jointfund.dates import EARLIEST, LATEST
from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.intake.budget_codes import BudgetCodes, budget_codes
from jointfund.intake.cells import Cells, is_digits, width_problem
from jointfund.intake.records import Read
from jointfund.intake.sources import cyrillic_text, read_bytes
from jointfund.money import AmountError, parse_amount
from jointfund.terms import RevenueStream

REQUIRED = ("REP_PERIOD", "FUND_TYP", "COD_INCO", "NAME_INC", "FAKT_AMT")
BUDGET = "COD_BUDGET"
CURRENCY = "UAH"
_GROUP_SPACES = str.maketrans("", "", " \u00a0\u202f")
_AMOUNT_EXPECTED = Message("an amount in UAH such as 1533694.03 or 1 533 694,03")


class FundType(StrEnum):
    """Which fund of the budget a receipt went to."""

    GENERAL = "general"
    SPECIAL = "special"
    TOTAL = "total"


FUND_CODES = {"C": FundType.GENERAL, "S": FundType.SPECIAL, "T": FundType.TOTAL}


@dataclass(frozen=True, slots=True)
class TreasuryReceipt:
    """Receipts under one revenue code, fund and budget in one reporting month."""

    period: str  # YYYY-MM, the month the cumulative figure runs to
    covers_from: str  # YYYY-MM, first month the period amount covers
    fund: FundType
    budget: str  # COD_BUDGET, "" when the file has none
    code: str
    name: str
    stream: RevenueStream | None  # None: unmapped, or mapped as not a fund stream
    period_minor: int
    cumulative_minor: int
    fell: bool  # the cumulative amount is below the month before's
    currency: str = CURRENCY


@dataclass(frozen=True, slots=True)
class _Row:
    """A checked row before its series is known."""

    line: int
    year: int
    month: int
    fund: FundType
    budget: str
    code: str
    name: str
    cumulative: int


def read_treasury_receipts(
    path: Path, *, codes: BudgetCodes | None = None, name: str | None = None
) -> Read[TreasuryReceipt]:
    """Read budget receipts by code; on any problem raise one InputError listing them all."""
    label = name or str(path)
    text = cyrillic_text(read_bytes(path, name=label), label)
    mapping = codes if codes is not None else budget_codes()
    problems: list[Problem] = []
    rows = [r for r in _rows(text, label, problems) if r is not None]
    items = _receipts(rows, mapping, label, problems)
    if not items and not problems:
        problems.append(Problem(Message("file has no receipts"), file=label))
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.row is not None, p.row or 0)))
    return Read(label, items)


def _rows(text: str, label: str, problems: list[Problem]) -> list[_Row | None]:
    """Every data row checked, each problem located at its line and column."""
    first = text.lstrip().split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if ";" in first else ",")
    found: list[_Row | None] = []
    header: _Header | None = None
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = _header(cells, label, reader.line_num)
            elif len(cells) != header.width:
                problems.append(
                    Problem(width_problem(len(cells), header.width), label, reader.line_num)
                )
            else:
                found.append(_row(label, reader.line_num, cells, header.index, problems))
    except csv.Error as exc:
        raise InputError(
            [Problem(Message("not valid CSV: {exc}", exc=str(exc)), label, reader.line_num + 1)]
        ) from exc
    if header is None:
        raise InputError([Problem(Message("file is empty"), file=label)])
    return found


@dataclass(frozen=True, slots=True)
class _Header:
    """Where the columns read are, and how many cells every row must have."""

    index: dict[str, int]
    width: int


def _header(cells: list[str], label: str, line: int) -> _Header:
    """Column positions, or an InputError naming each required column the header lacks."""
    names = [c.strip().lstrip("\ufeff") for c in cells]
    expected = Message("{required}; optional {budget}", required="; ".join(REQUIRED), budget=BUDGET)
    problems = [
        Problem(Message("missing column {column!r}", column=c), label, line, c, expected)
        for c in REQUIRED
        if c not in names
    ]
    problems += [
        Problem(
            Message("column {column!r} appears more than once", column=c), label, line, c, expected
        )
        for n, c in enumerate(names)
        if c in (*REQUIRED, BUDGET) and c in names[:n]
    ]
    if problems:
        raise InputError(problems)
    index = {name: n for n, name in enumerate(names) if name in (*REQUIRED, BUDGET)}
    return _Header(index, len(names))


def _row(
    label: str, line: int, cells: list[str], index: dict[str, int], problems: list[Problem]
) -> _Row | None:
    """One row's cells checked."""
    at = Cells(label, line, problems)
    before = len(problems)
    period = _period(at, cells[index["REP_PERIOD"]])
    fund = _fund(at, cells[index["FUND_TYP"]])
    code = cells[index["COD_INCO"]].strip()
    if not (is_digits(code) and len(code) == 8):
        at.problem(
            "COD_INCO",
            Message("not a revenue code: {code!r}", code=code),
            Message("an 8-digit budget code"),
        )
    budget = cells[index[BUDGET]].strip() if BUDGET in index else ""
    if budget and not is_digits(budget):
        at.problem(
            BUDGET, Message("not a budget code: {budget!r}", budget=budget), Message("digits")
        )
    name = at.text("NAME_INC", cells[index["NAME_INC"]])
    amount = _amount(at, cells[index["FAKT_AMT"]])
    if len(problems) > before or period is None or fund is None or name is None or amount is None:
        return None
    return _Row(line, period[0], period[1], fund, budget, code, name, amount)


def _period(at: Cells, value: str) -> tuple[int, int] | None:
    """A reporting month written m.yyyy or mm.yyyy."""
    text = value.strip()
    month, dot, year = text.partition(".")
    if dot and is_digits(month) and len(month) <= 2 and is_digits(year) and len(year) == 4:
        if 1 <= int(month) <= 12 and EARLIEST.year <= int(year) <= LATEST.year:
            return int(year), int(month)
        at.problem(
            "REP_PERIOD",
            Message("no such month: {text!r}", text=text),
            Message("m.yyyy (1991–2100)"),
        )
        return None
    at.problem(
        "REP_PERIOD",
        Message("not a reporting month: {text!r}", text=text),
        Message("m.yyyy, e.g. 03.2025"),
    )
    return None


def _fund(at: Cells, value: str) -> FundType | None:
    text = value.strip()
    found = FUND_CODES.get(text)
    if found is None:
        at.problem(
            "FUND_TYP",
            Message("unknown fund type {text!r}", text=text),
            Message("C (general fund), S (special fund) or T (total)"),
        )
    return found


def _amount(at: Cells, value: str) -> int | None:
    """A UAH amount in minor units: point or comma, digit groups spaced, sign allowed."""
    text = value.translate(_GROUP_SPACES)
    if "," in text and "." in text:
        at.problem(
            "FAKT_AMT",
            Message("both a decimal comma and a point: {value!r}", value=value),
            _AMOUNT_EXPECTED,
        )
        return None
    try:
        return parse_amount(text.replace(",", "."), CURRENCY, allow_negative=True)
    except AmountError as exc:
        at.problem(
            "FAKT_AMT",
            Message("{reason}: {value!r}", reason=exc.problems[0].message, value=value),
            _AMOUNT_EXPECTED,
        )
        return None


def _receipts(
    rows: list[_Row], mapping: BudgetCodes, label: str, problems: list[Problem]
) -> list[tuple[int, TreasuryReceipt]]:
    """Period amounts from each series' cumulative ones, in file order."""
    series: dict[tuple[str, FundType, str, int], list[_Row]] = defaultdict(list)
    for row in rows:
        series[(row.budget, row.fund, row.code, row.year)].append(row)
    made: list[tuple[int, TreasuryReceipt]] = []
    for (_, fund, code, _), months in series.items():
        months.sort(key=lambda r: (r.month, r.line))
        previous: _Row | None = None
        for row in months:
            if previous is not None and previous.month == row.month:
                problems.append(_repeated(label, row, previous))
                continue
            before = previous.cumulative if previous is not None else 0
            start = previous.month + 1 if previous is not None else 1
            receipt = TreasuryReceipt(
                period=f"{row.year:04d}-{row.month:02d}",
                covers_from=f"{row.year:04d}-{start:02d}",
                fund=fund,
                budget=row.budget,
                code=code,
                name=row.name,
                stream=mapping.stream(code),
                period_minor=row.cumulative - before,
                cumulative_minor=row.cumulative,
                fell=row.cumulative < before,
            )
            made.append((row.line, receipt))
            previous = row
    made.sort(key=lambda item: item[0])
    return made


def _repeated(label: str, row: _Row, earlier: _Row) -> Problem:
    where = f"fund {row.fund.value}, code {row.code}" + (
        f", budget {row.budget}" if row.budget else ""
    )
    return Problem(
        Message(
            "{month:02d}.{year} for {where} is already on row {line}",
            month=row.month,
            year=row.year,
            where=where,
            line=earlier.line,
        ),
        label,
        row.line,
        "REP_PERIOD",
        Message("one row per reporting month, fund, code and budget"),
    )


def month_end(period: str) -> date:
    """The last day of a YYYY-MM period (the day a cumulative figure runs to)."""
    year, month = int(period[:4]), int(period[5:7])
    return date(year, month, calendar.monthrange(year, month)[1])
