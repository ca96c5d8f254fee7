"""Cells of a summary data workbook parsed; each problem recorded with its file, row and column."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from jointfund.dates import EARLIEST, LATEST, RANGE, day_or_reason
from jointfund.errors import Problem
from jointfund.i18n.message import Message
from jointfund.money import AmountError, is_currency, parse_amount
from jointfund.reports.formula_guard import neutralise
from jointfund.reports.said import error_message

Cell = object
Rows = list[tuple[int, list[Cell]]]


def blank(value: Cell) -> bool:
    """Tell whether a cell is empty or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def guard(text: str) -> str:
    """The text as the workbook holds it: formula-like text and text that already starts
    with an apostrophe get one leading apostrophe, so `restore` can undo it exactly."""
    guarded = neutralise(text)
    if guarded == text and text[:1] == "'":
        return "'" + text
    return guarded


def restore(value: Cell) -> Cell:
    """Undo `guard`: drop one leading apostrophe."""
    if isinstance(value, str) and value[:1] == "'":
        return value[1:]
    return value


class SheetCells:
    """Cell parsers that record located problems instead of raising."""

    def __init__(self, label: str) -> None:
        """Locate every problem in the file named `label`."""
        self.label = label
        self.problems: list[Problem] = []

    def problem(
        self,
        sheet: str,
        row: int | None,
        column: str | None,
        message: str,
        expected: str | None = None,
    ) -> None:
        """Record one problem at a sheet row, its field named "<sheet>: <column>"."""
        field = f"{sheet}: {column}" if column else sheet
        self.problems.append(Problem(message, self.label, row, field, expected))

    # --- cells -------------------------------------------------------------------------

    def text(
        self, sheet: str, number: int, column: str, value: Cell, *, required: bool = True
    ) -> str | None:
        value = restore(value)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(sheet, number, column, Message("missing value"), Message("a value"))
                return None
            return ""
        if not isinstance(value, str):
            said = Message("not text: {value!r}", value=value)
            self.problem(sheet, number, column, said, Message("text"))
            return None
        return value

    def choice(
        self, sheet: str, number: int, column: str, value: Cell, choices: Sequence[str]
    ) -> str | None:
        text = self.text(sheet, number, column, value)
        if text is not None and text not in choices:
            said = Message("not a template value: {value!r}", value=text)
            self.problem(sheet, number, column, said, ", ".join(choices))
            return None
        return text

    def same_currency(
        self, sheet: str, number: int, column: str, value: Cell, currency: str
    ) -> None:
        text = self.text(sheet, number, column, value)
        if text is not None and text != currency:
            said = Message(
                "{found}, not the reporting currency {currency}", found=text, currency=currency
            )
            self.problem(sheet, number, column, said, currency)

    def day(self, sheet: str, number: int, value: Cell, column: str) -> date | None:
        day: date | None = None
        if isinstance(value, datetime):
            day = value.date()
        elif isinstance(value, date):
            day = value
        elif isinstance(value, str):
            day, _ = day_or_reason(value.strip())
        if day is not None and EARLIEST <= day <= LATEST:
            return day
        expected = Message("a date cell or YYYY-MM-DD ({range})", range=RANGE)
        self.problem(sheet, number, column, Message("not a date: {value!r}", value=value), expected)
        return None

    def number(
        self, sheet: str, number: int, value: Cell, column: str, *, signed: bool = False
    ) -> Decimal | None:
        """A number cell as the decimal it was written as (a double's shortest repr)."""
        found: Decimal | None = None
        if isinstance(value, bool):
            found = None
        elif isinstance(value, int):
            found = Decimal(value)
        elif isinstance(value, float):
            found = Decimal(repr(value))
        elif isinstance(value, Decimal):
            found = value
        elif isinstance(value, str):
            try:
                found = Decimal(value.strip())
            except InvalidOperation:
                found = None
        if found is None or not found.is_finite() or (not signed and found <= 0):
            said = Message("not a number: {value!r}", value=value)
            self.problem(sheet, number, column, said, Message("a number"))
            return None
        return found

    def minor(self, sheet: str, number: int, column: str, value: Cell, currency: str) -> int | None:
        amount = self.number(sheet, number, value, column, signed=True)
        if amount is None or not is_currency(currency):
            return None
        if abs(amount.adjusted()) > 30:
            expected = Message("an amount in {currency}", currency=currency)
            self.problem(sheet, number, column, Message("amount out of range"), expected)
            return None
        try:
            return parse_amount(format(amount, "f"), currency)
        except AmountError as exc:
            expected = Message("an amount in {currency}", currency=currency)
            self.problem(sheet, number, column, error_message(exc), expected)
            return None


def padded(cells: list[Cell], width: int) -> list[Cell]:
    """A row cut or padded to the table's width (openpyxl drops trailing empty cells)."""
    return (cells + [None] * width)[:width]
