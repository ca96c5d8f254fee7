"""The project's own licence-level treasury statement (CSV) read into records, every bad row
reported at once. Real Treasury files are by budget code: `treasury_receipts` reads those.

Columns: licence_id, period (YYYY-MM or YYYY-Qn), stream, currency, amount (major units, e.g.
1234.56), received_on (YYYY-MM-DD), treasury_reference (unique per row).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jointfund.dates import DAY
from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.intake.sources import read_text
from jointfund.money import AmountError, is_currency, parse_amount
from jointfund.terms import RevenueStream

TREASURY_COLUMNS = (
    "licence_id",
    "period",
    "stream",
    "currency",
    "amount",
    "received_on",
    "treasury_reference",
)
_MONTH = re.compile(r"^\d{4}-((0[1-9]|1[0-2])|Q[1-4])$")
_STREAMS = {s.value for s in RevenueStream}


@dataclass(frozen=True, slots=True)
class TreasuryReceipt:
    """One receipt the treasury says it took in."""

    licence_id: str
    period: str
    stream: str
    currency: str
    amount_minor: int
    received_on: date
    treasury_reference: str


def read_treasury(path: Path) -> list[TreasuryReceipt]:
    """Every receipt in the file, or InputError naming every bad row and field."""
    label = str(path)
    problems: list[Problem] = []
    found: list[TreasuryReceipt] = []
    seen: set[str] = set()
    text = read_text(path, name=label)  # not UTF-8, missing or binary: a located problem
    with io.StringIO(text, newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in TREASURY_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            columns = ", ".join(TREASURY_COLUMNS)  # column names, the same in every language
            raise InputError(
                [
                    Problem(
                        Message("missing column {column!r}", column=c),
                        label,
                        1,
                        c,
                        columns,
                    )
                    for c in missing
                ]
            )
        for line, row in enumerate(reader, start=2):
            before = len(problems)
            cells = {c: (row.get(c) or "").strip() for c in TREASURY_COLUMNS}

            def bad(column: str, message: str, expected: str, line: int = line) -> None:
                problems.append(Problem(message, label, line, column, expected))

            if not cells["licence_id"]:
                bad("licence_id", Message("empty licence id"), Message("a registered licence id"))
            if not _MONTH.match(cells["period"]):
                bad(
                    "period",
                    Message("not a month or quarter: {text!r}", text=cells["period"]),
                    Message("YYYY-MM or YYYY-Qn"),
                )
            if cells["stream"] not in _STREAMS:
                bad(
                    "stream",
                    Message("unknown stream {text!r}", text=cells["stream"]),
                    ", ".join(sorted(_STREAMS)),
                )
            currency = cells["currency"].upper()
            amount = 0
            if not is_currency(currency):
                bad(
                    "currency",
                    Message("unknown currency {text!r}", text=cells["currency"]),
                    Message("an ISO 4217 code"),
                )
            else:
                try:
                    amount = parse_amount(cells["amount"], currency)
                except AmountError as exc:
                    bad(
                        "amount",
                        exc.problems[0].message,
                        Message("a decimal amount in {currency}", currency=currency),
                    )
            try:
                received = date.fromisoformat(cells["received_on"])
            except ValueError:
                bad(
                    "received_on",
                    Message("not a date: {text!r}", text=cells["received_on"]),
                    DAY,
                )
                received = date.min
            reference = cells["treasury_reference"]
            if not reference:
                bad(
                    "treasury_reference",
                    Message("empty reference"),
                    Message("the treasury's unique reference"),
                )
            elif reference in seen:
                bad(
                    "treasury_reference",
                    Message("duplicate reference {reference!r}", reference=reference),
                    Message("unique per row"),
                )
            seen.add(reference)
            if len(problems) == before:
                found.append(
                    TreasuryReceipt(
                        cells["licence_id"],
                        cells["period"],
                        cells["stream"],
                        currency,
                        amount,
                        received,
                        reference,
                    )
                )
    if problems:
        raise InputError(problems)
    return found
