"""Three-way reconciliation on Treasury data by budget code: filings ↔ Treasury receipts ↔
accruals and transfers ↔ the books, per code and month, every difference with size and cause.

The Treasury reports receipts by revenue code, not by licence, and by the month they were
received: so payers' filings are grouped by the code their stream is received under (the
budget-code mapping) and by the month of their receipt day. Under the Budget Code as amended on
3 Jul 2025 half of each such receipt goes to the special fund of the state budget, so the
special fund's figure for a code is compared with the fund's share of the filings (general-fund
and total rows are not the fund's money and are left out; special-fund rows of every budget
stored are summed, so import the state budget's file, not a local budget's). A Treasury month
that folds in months it did not report (`covers_from`) takes the filings of all of them. Then
each year's receipts are compared with the transfers that settle them (Res. 1616), and each
transfer with the ledger entry that books it. Amounts are UAH minor units.

Causes: missing_in_treasury, missing_in_filings, amount_differs (per code and month);
not_accrued (a filing's share neither in the register of accruals nor booked directly);
untransferred / over_transferred (per year); not_in_books (a transfer's entry is missing or
holds another amount).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from jointfund.reports.tables import Cell, Table, major

UAH = "UAH"


class CodeCause(StrEnum):
    """Why the views of one code's receipts disagree."""

    MISSING_IN_TREASURY = "missing_in_treasury"
    MISSING_IN_FILINGS = "missing_in_filings"
    AMOUNT_DIFFERS = "amount_differs"
    NOT_ACCRUED = "not_accrued"
    UNTRANSFERRED = "untransferred"
    OVER_TRANSFERRED = "over_transferred"
    NOT_IN_BOOKS = "not_in_books"


@dataclass(frozen=True, slots=True)
class CodeReceipt:
    """The special fund's receipts under one code in one month (the period amount)."""

    code: str
    stream: str
    period: str  # YYYY-MM
    covers_from: str  # YYYY-MM
    amount_minor: int


@dataclass(frozen=True, slots=True)
class CodeFilings:
    """The fund's share of the latest eligible filings in UAH of one stream received in one
    month, and where that share is."""

    stream: str
    month: str  # YYYY-MM received
    filings: int
    fund_minor: int
    accrued_minor: int  # held in the register of accruals until a transfer
    booked_minor: int  # booked straight into the fund by a ledger entry


@dataclass(frozen=True, slots=True)
class YearTransfer:
    """A transfer in UAH of one year's receipts and the cash its ledger entry holds."""

    period_year: int
    reference: str
    amount_minor: int
    entry_key: str | None
    entry_cash: int | None


@dataclass(frozen=True, slots=True)
class CodeLine:
    """One code and month: the fund's share as filed, the Treasury's figure, what accrued."""

    code: str
    stream: str
    period: str
    covers_from: str
    filed_minor: int
    treasury_minor: int
    accrued_minor: int
    booked_minor: int
    filings: int


@dataclass(frozen=True, slots=True)
class YearLine:
    """One year: the special fund's receipts of mapped codes, transferred, booked."""

    year: int
    treasury_minor: int
    transferred_minor: int
    booked_minor: int


@dataclass(frozen=True, slots=True)
class CodeDifference:
    """One disagreement: its cause, code and month (or year), size in UAH and detail."""

    cause: CodeCause
    code: str
    period: str
    size_minor: int
    detail: str


@dataclass(frozen=True, slots=True)
class CodeReconciliation:
    """Every code and month, every year, and every difference found."""

    lines: tuple[CodeLine, ...]
    years: tuple[YearLine, ...]
    differences: tuple[CodeDifference, ...]

    def by_cause(self) -> dict[CodeCause, int]:
        """How many differences of each cause."""
        counts: dict[CodeCause, int] = defaultdict(int)
        for d in self.differences:
            counts[d.cause] += 1
        return dict(counts)


@dataclass
class _Key:
    codes: set[str]
    covers_from: str
    filed: int = 0
    treasury: int = 0
    accrued: int = 0
    booked: int = 0
    filings: int = 0
    reported: bool = False


def reconcile_codes(
    treasury: Sequence[CodeReceipt],
    filings: Sequence[CodeFilings],
    transfers: Sequence[YearTransfer],
    stream_codes: dict[str, str],
    *,
    tolerance: int = 0,
) -> CodeReconciliation:
    """Match filings, Treasury receipts, accruals, transfers and books (pure)."""
    keys: dict[tuple[str, str], _Key] = {}
    window: dict[tuple[str, str], tuple[str, str]] = {}  # (stream, month) -> its key
    for r in treasury:
        key = keys.setdefault((r.stream, r.period), _Key(set(), r.covers_from))
        key.codes.add(r.code)
        key.covers_from = min(key.covers_from, r.covers_from)
        key.treasury += r.amount_minor
        key.reported = True
    for (stream, period), key in keys.items():
        year, first, last = period[:4], int(key.covers_from[5:7]), int(period[5:7])
        for number in range(first, last + 1):
            window[(stream, f"{year}-{number:02d}")] = (stream, period)
    for f in filings:
        where = window.get((f.stream, f.month), (f.stream, f.month))
        key = keys.setdefault(where, _Key({stream_codes.get(f.stream, "")}, f.month))
        key.filed += f.fund_minor
        key.accrued += f.accrued_minor
        key.booked += f.booked_minor
        key.filings += f.filings
    lines: list[CodeLine] = []
    found: list[CodeDifference] = []
    for (stream, period), key in sorted(keys.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        code = "+".join(sorted(c for c in key.codes if c)) or "(unmapped)"
        lines.append(
            CodeLine(
                code,
                stream,
                period,
                key.covers_from,
                key.filed,
                key.treasury,
                key.accrued,
                key.booked,
                key.filings,
            )
        )
        found.extend(_key_differences(code, period, key, tolerance))
    years, yearly = _years(lines, transfers, tolerance)
    return CodeReconciliation(tuple(lines), years, tuple(found + yearly))


def _key_differences(code: str, period: str, key: _Key, tolerance: int) -> list[CodeDifference]:
    found: list[CodeDifference] = []

    def add(cause: CodeCause, size: int, detail: str) -> None:
        found.append(CodeDifference(cause, code, period, size, detail))

    if not key.reported and key.filed:
        add(
            CodeCause.MISSING_IN_TREASURY,
            key.filed,
            f"{key.filings} filings give the fund {major(key.filed, UAH)} UAH; the Treasury "
            "reports no special-fund receipt under this code",
        )
    elif key.reported and not key.filings and key.treasury:
        add(
            CodeCause.MISSING_IN_FILINGS,
            key.treasury,
            f"the Treasury reports {major(key.treasury, UAH)} UAH in the special fund; no "
            "payer filed it",
        )
    elif abs(key.treasury - key.filed) > tolerance:
        add(
            CodeCause.AMOUNT_DIFFERS,
            key.treasury - key.filed,
            f"Treasury {major(key.treasury, UAH)} UAH, the fund's share of the filings "
            f"{major(key.filed, UAH)} UAH (months {key.covers_from}..{period})",
        )
    missing = key.filed - key.accrued - key.booked
    if missing:
        add(
            CodeCause.NOT_ACCRUED,
            missing,
            f"of {major(key.filed, UAH)} UAH filed, {major(key.accrued, UAH)} accrued and "
            f"{major(key.booked, UAH)} booked directly",
        )
    return found


def _years(
    lines: list[CodeLine], transfers: Sequence[YearTransfer], tolerance: int
) -> tuple[tuple[YearLine, ...], list[CodeDifference]]:
    received: dict[int, int] = defaultdict(int)
    for line in lines:
        if line.code != "(unmapped)":
            received[int(line.period[:4])] += line.treasury_minor
    sent: dict[int, list[YearTransfer]] = defaultdict(list)
    for t in transfers:
        sent[t.period_year].append(t)
    years: list[YearLine] = []
    found: list[CodeDifference] = []
    for year in sorted(set(received) | set(sent)):
        moved = sent.get(year, [])
        transferred = sum(t.amount_minor for t in moved)
        booked = sum(t.entry_cash or 0 for t in moved)
        years.append(YearLine(year, received.get(year, 0), transferred, booked))
        gap = received.get(year, 0) - transferred
        if gap > tolerance:
            detail = f"{major(gap, UAH)} UAH of {year} receipts not transferred (due by 1 April)"
            found.append(CodeDifference(CodeCause.UNTRANSFERRED, "*", str(year), gap, detail))
        elif gap < -tolerance:
            detail = f"transfers exceed {year}'s special-fund receipts by {major(-gap, UAH)} UAH"
            found.append(CodeDifference(CodeCause.OVER_TRANSFERRED, "*", str(year), gap, detail))
        for t in moved:
            if t.entry_cash is None or t.entry_cash != t.amount_minor:
                held = "no ledger entry" if t.entry_cash is None else f"entry holds {t.entry_cash}"
                found.append(
                    CodeDifference(
                        CodeCause.NOT_IN_BOOKS,
                        "*",
                        str(year),
                        t.amount_minor - (t.entry_cash or 0),
                        f"transfer {t.reference}: {held}",
                    )
                )
    return tuple(years), found


LINE_COLUMNS = (
    "budget_code",
    "stream",
    "period",
    "covers_from",
    "filings",
    "filed_fund_share",
    "treasury_special_fund",
    "accrued",
    "booked_directly",
)
YEAR_COLUMNS = ("year", "treasury_special_fund", "transferred", "booked")
DIFFERENCE_COLUMNS = ("cause", "budget_code", "period", "size_uah", "detail")


def code_tables(result: CodeReconciliation) -> list[Table]:
    """The differences, the codes by month and the years, as report tables."""
    diffs: tuple[tuple[Cell, ...], ...] = tuple(
        (d.cause.value, d.code, d.period, major(d.size_minor, UAH), d.detail)
        for d in result.differences
    )
    lines: tuple[tuple[Cell, ...], ...] = tuple(
        (
            x.code,
            x.stream,
            x.period,
            x.covers_from,
            x.filings,
            major(x.filed_minor, UAH),
            major(x.treasury_minor, UAH),
            major(x.accrued_minor, UAH),
            major(x.booked_minor, UAH),
        )
        for x in result.lines
    )
    years: tuple[tuple[Cell, ...], ...] = tuple(
        (
            y.year,
            major(y.treasury_minor, UAH),
            major(y.transferred_minor, UAH),
            major(y.booked_minor, UAH),
        )
        for y in result.years
    )
    return [
        Table("differences", DIFFERENCE_COLUMNS, diffs),
        Table("codes", LINE_COLUMNS, lines),
        Table("years", YEAR_COLUMNS, years),
    ]
