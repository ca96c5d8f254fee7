"""Reading a third-party administrator's capital account statement (CSV, ILPA-style fields).

Columns: partner, period (2026Q1, 2026-03 or 2026), opening, contributions, income,
unrealised_change, distributions, closing (major units of the reporting currency, e.g.
75000000.00; distributions as a positive amount paid out), ownership_pct (e.g. 50.0000).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from jointfund.errors import InputError, Problem
from jointfund.money import AmountError, parse_amount
from jointfund.reports.periods import parse_period

MONEY_FIELDS = (
    "opening",
    "contributions",
    "income",
    "unrealised_change",
    "distributions",
    "closing",
)
ADMIN_COLUMNS = ("partner", "period", *MONEY_FIELDS, "ownership_pct")


@dataclass(frozen=True, slots=True)
class AdministratorLine:
    """One partner's capital account for one period, as the administrator states it."""

    row: int
    partner: str
    period: str
    opening: int
    contributions: int
    income: int
    unrealised_change: int
    distributions: int
    closing: int
    ownership_pct: Decimal


def read_administrator(path: Path, currency: str = "USD") -> list[AdministratorLine]:
    """Every line of the statement, or InputError naming every bad row and field."""
    label = str(path)
    problems: list[Problem] = []
    found: list[AdministratorLine] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ADMIN_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise InputError(
                [
                    Problem(f"missing column {c!r}", label, 1, c, ", ".join(ADMIN_COLUMNS))
                    for c in missing
                ]
            )
        for line, row in enumerate(reader, start=2):
            before = len(problems)
            cells = {c: (row.get(c) or "").strip() for c in ADMIN_COLUMNS}
            if not cells["partner"]:
                problems.append(
                    Problem(
                        "empty partner", label, line, "partner", "a partner id such as US or UA"
                    )
                )
            period = cells["period"]
            try:
                period = parse_period(period).label
            except InputError:
                problems.append(
                    Problem(
                        f"not a period: {period!r}",
                        label,
                        line,
                        "period",
                        "2026Q1, 2026-03 or 2026",
                    )
                )
            amounts: dict[str, int] = {}
            for name in MONEY_FIELDS:
                try:
                    amounts[name] = parse_amount(cells[name], currency)
                except AmountError as exc:
                    problems.append(
                        Problem(str(exc), label, line, name, f"a decimal amount in {currency}")
                    )
            try:
                pct = Decimal(cells["ownership_pct"].rstrip("%"))
                if not pct.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                problems.append(
                    Problem(
                        f"not a percentage: {cells['ownership_pct']!r}",
                        label,
                        line,
                        "ownership_pct",
                        "e.g. 50.0000",
                    )
                )
                pct = Decimal(0)
            if len(problems) == before:
                found.append(
                    AdministratorLine(line, cells["partner"], period, ownership_pct=pct, **amounts)
                )
    if problems:
        raise InputError(problems)
    return found
