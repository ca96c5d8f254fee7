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
from jointfund.i18n.message import Message
from jointfund.money import AmountError, parse_amount
from jointfund.reports.periods import parse_period
from jointfund.reports.said import error_message

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
                    Problem(
                        Message("missing column {column!r}", column=c),
                        label,
                        1,
                        c,
                        Message("{choices}", choices=", ".join(ADMIN_COLUMNS)),
                    )
                    for c in missing
                ]
            )
        for line, row in enumerate(reader, start=2):
            before = len(problems)
            cells = {c: (row.get(c) or "").strip() for c in ADMIN_COLUMNS}
            if not cells["partner"]:
                problems.append(
                    Problem(
                        Message("empty partner"),
                        label,
                        line,
                        "partner",
                        Message("a partner id such as US or UA"),
                    )
                )
            period = cells["period"]
            try:
                period = parse_period(period).label
            except InputError:
                problems.append(
                    Problem(
                        Message("not a period: {text!r}", text=period),
                        label,
                        line,
                        "period",
                        Message("2026Q1, 2026-03 or 2026"),
                    )
                )
            amounts: dict[str, int] = {}
            for name in MONEY_FIELDS:
                try:
                    amounts[name] = parse_amount(cells[name], currency)
                except AmountError as exc:
                    problems.append(
                        Problem(
                            error_message(exc),
                            label,
                            line,
                            name,
                            Message("a decimal amount in {currency}", currency=currency),
                        )
                    )
            try:
                pct = Decimal(cells["ownership_pct"].rstrip("%"))
                if not pct.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                problems.append(
                    Problem(
                        Message("not a percentage: {text!r}", text=cells["ownership_pct"]),
                        label,
                        line,
                        "ownership_pct",
                        Message("e.g. {example}", example="50.0000"),
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
