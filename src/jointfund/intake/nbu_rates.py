"""The National Bank of Ukraine's official rates in each shape it publishes them: rows to FxRecords.

Every NBU rate is hryvnias per `units` units of a foreign currency on a day; a row becomes
FxRecord(day, <letter code>, "UAH", rate / units), exact. The shapes (told apart by content):

* the website's period download ("Офіційний курс гривні щодо іноземних валют",
  bank.gov.ua/ua/markets/exchangerates), as CSV (read by `fx_rates`), JSON (an array of
  objects) or XLSX (first sheet, a header row then one row per rate), with the columns
  ``Дата, Час, Код цифровий, Код літерний, Кількість одиниць, Назва валюти, Офіційний курс
  гривні, грн`` or their English twins ``Date, Time, Digital code, Letter code, Unit,
  Currency name, Official hrivnya exchange rates, UAH``; only date, letter code, units and
  rate are read. Dates are dd.mm.yyyy (an XLSX date cell is taken as it is); rates may use a
  decimal comma and spaces between digit groups;
* the open-data API, bank.gov.ua/NBUStatService/v1/statdirectory/exchange?json: an array of
  ``{"r030": 840, "txt": "Долар США", "rate": 44.866, "cc": "USD", "exchangedate":
  "12.08.2026"}`` (rate per one unit; some responses add "special");
* the API's period endpoint, bank.gov.ua/NBU_Exchange/exchange_site?json, which adds
  "enname", "units", "rate_per_unit", "group" and "calcdate": the rate is per `units` units,
  and a given "rate_per_unit" must equal rate / units within its printed rounding.

JSON numbers are read as written (Decimal), never through a binary float. XLSX number cells
are floats in openpyxl; the shortest text that reads back to the same float is the figure
Excel stored, so Decimal(repr(x)) recovers it for any rate of up to 15 significant digits.

The tables also list banking metals, the SDR and currencies since withdrawn or not in our
ISO 4217 list (e.g. a placeholder code "___" in old tables); their rows cannot be booked and
are skipped and counted, not refused.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, localcontext
from enum import Enum
from typing import Any

from openpyxl import load_workbook

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.intake.cells import Cells, is_digits
from jointfund.intake.records import FxRecord
from jointfund.intake.sources import Located, json_records
from jointfund.money import is_currency

NBU_QUOTE = "UAH"
_GROUP_SPACES = str.maketrans("", "", " \u00a0\u202f")
# Enough digits that rate / units is exact for any units count a central bank uses.
_DIVISION_PRECISION = 60
_MAX_UNITS = 10**9
_XLSX_MAX_ROWS = 1_000_000


class Skip(Enum):
    """A row passed over on purpose: its currency cannot be booked."""

    ROW = "skip"


@dataclass(frozen=True, slots=True)
class NbuColumns:
    """How one NBU shape names its date, letter-code, units and rate fields."""

    date: str
    code: str
    units: str | None
    rate: str

    def required(self) -> tuple[str, ...]:
        """The field names a row of this shape must have."""
        return tuple(n for n in (self.date, self.code, self.units, self.rate) if n is not None)


UKRAINIAN = NbuColumns("Дата", "Код літерний", "Кількість одиниць", "Офіційний курс гривні, грн")
ENGLISH = NbuColumns("Date", "Letter code", "Unit", "Official hrivnya exchange rates, UAH")
API = NbuColumns("exchangedate", "cc", None, "rate")
API_PERIOD = NbuColumns("exchangedate", "cc", "units", "rate")
TABLE_SHAPES = (UKRAINIAN, ENGLISH)
_JSON_EXPECTED = Message(
    "an array of NBU rate objects: the API's (exchangedate, cc, rate; units with the period "
    "endpoint) or the website download's ({columns})",
    columns=", ".join(UKRAINIAN.required()),
)


def table_columns(names: Sequence[str]) -> NbuColumns | None:
    """The NBU website columns a header row holds (Ukrainian or English), if it holds them."""
    for shape in TABLE_SHAPES:
        if all(column in names for column in shape.required()):
            return shape
    return None


def nbu_rate(
    at: Cells,
    columns: NbuColumns,
    date_cell: object,
    code_cell: object,
    units_cell: object,
    rate_cell: object,
) -> FxRecord | Skip | None:
    """One NBU rate: hryvnias per unit; Skip for a currency that cannot be booked."""
    if not isinstance(code_cell, str):
        at.problem(
            columns.code,
            Message("not a currency code: {value!r}", value=_text(code_cell)),
            Message("a letter code"),
        )
        return None
    code = code_cell.strip()
    if code != NBU_QUOTE and not is_currency(code):
        return Skip.ROW
    before = len(at.problems)
    on = nbu_date(at, columns.date, date_cell)
    units = 1
    if columns.units is not None:
        parsed = at.integer(columns.units, _text(units_cell), minimum=1, maximum=_MAX_UNITS)
        units = parsed if parsed is not None else 1
    rate = at.rate(columns.rate, _text(rate_cell).translate(_GROUP_SPACES), decimal_comma=True)
    if code == NBU_QUOTE:
        at.problem(
            columns.code, Message("the hryvnia against itself"), Message("a foreign currency code")
        )
    if len(at.problems) > before or on is None or rate is None:
        return None
    return FxRecord(on, code, NBU_QUOTE, per_unit(rate, units))


def per_unit(rate: Decimal, units: int) -> Decimal:
    """`rate` for `units` units divided down to one unit, exactly."""
    with localcontext() as context:
        context.prec = _DIVISION_PRECISION
        return rate / Decimal(units)


def nbu_date(at: Cells, field: str, value: object) -> date | None:
    """A date written dd.mm.yyyy, as the NBU writes them, or a spreadsheet date cell."""
    if isinstance(value, datetime):
        return at.in_range(field, value.date(), Message("dd.mm.yyyy"))
    if isinstance(value, date):
        return at.in_range(field, value, Message("dd.mm.yyyy"))
    text = _text(value).strip()
    parts = text.split(".")
    if len(parts) == 3 and [len(p) for p in parts] == [2, 2, 4] and all(map(is_digits, parts)):
        try:
            day = date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            at.problem(field, Message("no such date: {text!r}", text=text), Message("dd.mm.yyyy"))
            return None
        return at.in_range(field, day, Message("dd.mm.yyyy"))
    at.problem(field, Message("not a date: {text!r}", text=text), Message("dd.mm.yyyy"))
    return None


def _text(value: object) -> str:
    """A cell or JSON value as the text a person would have typed for it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        # JSON true/false and Excel booleans are not numbers, whatever Python says.
        return str(value).lower()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


# --- JSON --------------------------------------------------------------------------------


def json_rates(
    text: str, label: str, problems: list[Problem]
) -> tuple[list[tuple[int, FxRecord]], int]:
    """Rates of an NBU JSON file (API, API period endpoint or website download)."""
    records = json_records(text, label, exact_numbers=True)
    if not records:
        raise InputError([Problem(Message("file is empty"), file=label)])
    columns = _json_shape(records[0], label)
    items: list[tuple[int, FxRecord]] = []
    skipped = 0
    for located in records:
        found = _json_rate(located, columns, label, problems)
        if found is Skip.ROW:
            skipped += 1
        elif found is not None:
            items.append((located.line, found))
    return items, skipped


def _json_shape(first: Located, label: str) -> NbuColumns:
    """The shape the first object has; every other object must have it too."""
    keys = first.value if isinstance(first.value, Mapping) else {}
    if all(k in keys for k in API.required()):
        return API_PERIOD if "units" in keys else API
    for shape in TABLE_SHAPES:
        if all(k in keys for k in shape.required()):
            return shape
    raise InputError(
        [
            Problem(
                Message("not a known NBU rate object"), label, first.line, expected=_JSON_EXPECTED
            )
        ]
    )


def _json_rate(
    located: Located, columns: NbuColumns, label: str, problems: list[Problem]
) -> FxRecord | Skip | None:
    """One JSON object as a rate, its missing fields and bad values located on its line."""
    at = Cells(label, located.line, problems)
    value: Any = located.value
    if not isinstance(value, Mapping):
        at.problem(None, Message("not a JSON object"), Message("one object per rate"))
        return None
    missing = [k for k in columns.required() if k not in value]
    for key in missing:
        at.problem(key, Message("missing field {key!r}", key=key), ", ".join(columns.required()))
    if missing:
        return None
    units = value[columns.units] if columns.units is not None else None
    found = nbu_rate(
        at, columns, value[columns.date], value[columns.code], units, value[columns.rate]
    )
    if (
        isinstance(found, FxRecord)
        and columns is API_PERIOD
        and "rate_per_unit" in value
        and not _per_unit_agrees(at, found, value["rate_per_unit"])
    ):
        return None
    return found


def _per_unit_agrees(at: Cells, record: FxRecord, stated: object) -> bool:
    """A stated rate_per_unit must be rate / units within a unit of its last printed place."""
    value = at.rate("rate_per_unit", _text(stated), decimal_comma=True)
    if value is None:
        return False
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # at.rate only returns finite decimals
    with localcontext() as context:
        context.prec = _DIVISION_PRECISION
        if abs(record.rate - value) <= Decimal(1).scaleb(exponent):
            return True
    at.problem(
        "rate_per_unit",
        Message("{value} is not rate / units ({rate})", value=value, rate=record.rate),
        Message("rate_per_unit equal to rate divided by units"),
    )
    return False


# --- XLSX --------------------------------------------------------------------------------


def xlsx_rows(data: bytes, label: str) -> Iterator[tuple[int, list[object]]]:
    """Non-blank rows of the workbook's first sheet, numbered as the sheet numbers them."""
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it drops; they carry no data.
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError) as exc:
        raise InputError(
            [
                Problem(
                    Message("not a readable XLSX workbook: {exc}", exc=str(exc)),
                    file=label,
                    expected=Message("an .xlsx file"),
                )
            ]
        ) from exc
    except Exception as exc:  # openpyxl and lxml raise many kinds of error on damage
        raise InputError(
            [
                Problem(
                    Message("not a readable XLSX workbook"),
                    file=label,
                    expected=Message("an .xlsx file"),
                )
            ]
        ) from exc
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise InputError([Problem(Message("workbook has no sheets"), file=label)])
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > _XLSX_MAX_ROWS:
                raise InputError(
                    [
                        Problem(
                            Message("sheet has more than {limit} rows", limit=_XLSX_MAX_ROWS),
                            file=label,
                        )
                    ]
                )
            cells: list[object] = list(row)
            if any(c is not None and _text(c).strip() for c in cells):
                yield number, cells
    except InputError:
        raise
    except Exception as exc:  # damage can surface only while streaming the rows
        raise InputError(
            [
                Problem(
                    Message("not a readable XLSX workbook"),
                    file=label,
                    expected=Message("an .xlsx file"),
                )
            ]
        ) from exc
    finally:
        book.close()


def header_names(cells: Sequence[object]) -> list[str]:
    """A header row's cells as trimmed column names."""
    return [_text(c).strip() for c in cells]


def cell_text(value: object) -> str:
    """A spreadsheet cell as text (for the row parsers shared with CSV)."""
    return _text(value)
