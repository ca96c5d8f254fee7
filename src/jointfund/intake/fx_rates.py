"""FX rate tables read into FxRecords: a plain `date,base,quote,rate` CSV or the NBU's export.

Accepted headers (the shape is told from the header; anything else is refused, listing these):

* plain, comma-delimited, exactly: ``date,base,quote,rate`` — ISO dates, ISO 4217 codes,
  1 base = rate quote, a plain decimal with a point;
* the National Bank of Ukraine's official-rate export ("Офіційний курс гривні щодо іноземних
  валют", downloaded for a period from bank.gov.ua/ua/markets/exchangerates), `;` or `,`
  delimited, with at least these columns in any order, Ukrainian or English:
  ``Дата; Код літерний; Кількість одиниць; Офіційний курс гривні, грн`` or
  ``Date; Letter code; Unit; Official hrivnya exchange rates, UAH``. Other columns of the
  export (Час, Код цифровий, Назва валюти, ...) are ignored. Dates are dd.mm.yyyy, rates
  may use a decimal comma and spaces between digit groups, and each row's rate is UAH per
  `Кількість одиниць` units (the NBU quoted per 100 or 10 units until December 2019), so a
  row becomes FxRecord(on, base=<letter code>, quote="UAH", rate=rate / units).

Where the NBU shape comes from: these column names are the keys of the NBU export as read by
public code that parses it, e.g. a Java tool that reads the export's JSON twin ("Дата",
"Кількість одиниць", "Офіційний курс гривні, грн" and the English "Date", "Unit",
"Official hrivnya exchange rates, UAH" for the file downloaded from
bank.gov.ua/control/uk/curmetal/currency/search/form/period) and Python scripts writing or
reading the same CSV columns ("Дата", "Час", "Код цифровий", "Код літерний", "Кількість
одиниць", "Назва валюти", "Офіційний курс гривні, грн"); the change from per-100 to per-1
quotes on 27 Dec 2019 was announced by the NBU (reported by lenta.ua). The `;` delimiter and
decimal comma follow the NBU's other CSV downloads and Ukrainian number formatting. The NBU's
export has not been fetched here, so both spellings are accepted and the tests use a sample
written to this description.

Banking metals and the SDR (XAU, XAG, XPT, XPD, XDR) appear in the NBU table but have no
minor unit and cannot be booked, so their rows are skipped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from functools import partial
from pathlib import Path

from jointfund.errors import InputError, Problem
from jointfund.intake.cells import Cells, is_digits
from jointfund.intake.records import FxRecord, Read
from jointfund.intake.sources import read_text

PLAIN_HEADER = ("date", "base", "quote", "rate")
NBU_UKRAINIAN = ("Дата", "Код літерний", "Кількість одиниць", "Офіційний курс гривні, грн")
NBU_ENGLISH = ("Date", "Letter code", "Unit", "Official hrivnya exchange rates, UAH")
NBU_QUOTE = "UAH"
NBU_SKIPPED = frozenset({"XAU", "XAG", "XPT", "XPD", "XDR"})
_ACCEPTED = (
    f"{','.join(PLAIN_HEADER)}; or the NBU export with columns "
    f"{'; '.join(NBU_UKRAINIAN)} (or in English: {'; '.join(NBU_ENGLISH)})"
)
# Digit-group separators Ukrainian number formatting puts in NBU figures.
_GROUP_SPACES = str.maketrans("", "", " \u00a0\u202f")
# Enough digits that rate / units is exact for any units count a central bank uses.
_DIVISION_PRECISION = 60


def read_fx_rates(path: Path, *, name: str | None = None) -> Read[FxRecord]:
    """Read an FX table of either accepted shape; on any problem raise one InputError."""
    label = name or str(path)
    text = read_text(path, name=label)
    rows = _rows(text, label)
    if not rows:
        raise InputError([Problem("file is empty", file=label)])
    header_line, header = rows[0]
    names = [h.strip() for h in header]
    problems: list[Problem] = []
    parse: Callable[[int, list[str]], FxRecord | None]
    if names == list(PLAIN_HEADER):
        parse = partial(_plain, label=label, problems=problems)
    elif (nbu := _nbu_columns(names)) is not None:
        parse = partial(_nbu, columns=nbu, label=label, problems=problems)
    else:
        raise InputError(
            [Problem("not a known FX rate header", label, header_line, expected=_ACCEPTED)]
        )
    items = _checked(rows[1:], len(names), parse, label, problems)
    if len(rows) == 1 and not problems:
        problems.append(Problem("file has no rates", file=label))
    if problems:
        raise InputError(problems)
    return Read(label, items)


def _rows(text: str, label: str) -> list[tuple[int, list[str]]]:
    """Non-blank rows with their line numbers, split on `;` when the header uses it."""
    first = text.lstrip().split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if ";" in first else ",")
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise InputError([Problem(f"not valid CSV: {exc}", label, reader.line_num + 1)]) from exc
    return rows


def _nbu_columns(names: list[str]) -> _NbuColumns | None:
    """The NBU export's date, letter code, units and rate columns, if the header has them."""
    for spelling in (NBU_UKRAINIAN, NBU_ENGLISH):
        if all(column in names for column in spelling):
            return _NbuColumns(spelling, tuple(names.index(c) for c in spelling))
    return None


@dataclass(frozen=True, slots=True)
class _NbuColumns:
    """The four NBU columns as the file spells them, and where each one is."""

    names: tuple[str, ...]
    positions: tuple[int, ...]


def _plain(line: int, cells: list[str], label: str, problems: list[Problem]) -> FxRecord | None:
    """One row of the plain shape."""
    at = Cells(label, line, problems)
    before = len(problems)
    on = at.iso_date("date", cells[0])
    base = at.currency_code("base", cells[1])
    quote = at.currency_code("quote", cells[2])
    rate = at.rate("rate", cells[3])
    if base is not None and base == quote:
        at.problem("quote", f"base and quote are both {base}", "two different currencies")
    if len(problems) > before or on is None or base is None or quote is None or rate is None:
        return None
    return FxRecord(on, base, quote, rate)


def _nbu(
    line: int,
    cells: list[str],
    columns: _NbuColumns,
    label: str,
    problems: list[Problem],
) -> FxRecord | None:
    """One row of the NBU export: UAH per `units` of the lettered currency."""
    date_text, code_text, units_text, rate_text = (cells[i] for i in columns.positions)
    date_field, code_field, units_field, rate_field = columns.names
    code = code_text.strip()
    if code in NBU_SKIPPED:
        return None
    at = Cells(label, line, problems)
    before = len(problems)
    on = _nbu_date(at, date_field, date_text)
    base = at.currency_code(code_field, code)
    units = at.integer(units_field, units_text, minimum=1, maximum=10**9)
    rate = at.rate(rate_field, rate_text.translate(_GROUP_SPACES), decimal_comma=True)
    if base == NBU_QUOTE:
        at.problem(code_field, "the hryvnia against itself", "a foreign currency code")
    if len(problems) > before or on is None or base is None or units is None or rate is None:
        return None
    with localcontext() as context:
        context.prec = _DIVISION_PRECISION
        per_unit = rate / Decimal(units)
    return FxRecord(on, base, NBU_QUOTE, per_unit)


def _nbu_date(at: Cells, field: str, value: str) -> date | None:
    """A date written dd.mm.yyyy, as the NBU writes them."""
    text = value.strip()
    parts = text.split(".")
    if len(parts) == 3 and [len(p) for p in parts] == [2, 2, 4] and all(map(is_digits, parts)):
        try:
            return date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            at.problem(field, f"no such date: {text!r}", "dd.mm.yyyy")
            return None
    at.problem(field, f"not a date: {text!r}", "dd.mm.yyyy")
    return None


def _checked(
    rows: list[tuple[int, list[str]]],
    width: int,
    parse: Callable[[int, list[str]], FxRecord | None],
    label: str,
    problems: list[Problem],
) -> list[tuple[int, FxRecord]]:
    """Parse each row in turn; report rows of the wrong width and repeated pairs."""
    items: list[tuple[int, FxRecord]] = []
    first: dict[tuple[date, str, str], int] = {}
    for line, cells in rows:
        if len(cells) != width:
            side = "more" if len(cells) > width else "fewer"
            problems.append(
                Problem(
                    f"row has {side} cells than the header ({len(cells)}, not {width})",
                    label,
                    line,
                )
            )
            continue
        record = parse(line, cells)
        if record is None:
            continue
        key = (record.on, record.base, record.quote)
        earlier = first.setdefault(key, line)
        if earlier != line:
            problems.append(
                Problem(
                    f"{record.base}/{record.quote} on {record.on.isoformat()} "
                    f"is already on row {earlier}",
                    label,
                    line,
                    expected="one rate per pair and day",
                )
            )
            continue
        items.append((line, record))
    return items
