"""FX rate tables read into FxRecords: our plain CSV or any shape the NBU publishes its rates in.

Accepted (the shape is told from the bytes, never from a flag or the file name):

* plain CSV, comma-delimited, header exactly ``date,base,quote,rate``: ISO dates, ISO 4217
  codes, 1 base = rate quote, a plain decimal with a point;
* the NBU's official-rate tables, see `nbu_rates`: the website download as CSV (`;` or `,`
  delimited, Ukrainian or English column names, UTF-8 or Windows-1251), as JSON or as XLSX,
  and the open-data API's JSON (daily and period endpoints).

Where the CSV column names come from: the keys of the NBU export as read by public code that
parses it ("Дата", "Кількість одиниць", "Офіційний курс гривні, грн" and the English "Date",
"Unit", "Official hrivnya exchange rates, UAH", for the file downloaded from
bank.gov.ua/control/uk/curmetal/currency/search/form/period) and scripts writing the same
columns ("Дата", "Час", "Код цифровий", "Код літерний", "Кількість одиниць", "Назва валюти",
"Офіційний курс гривні, грн"); the NBU quoted per 100 or 10 units until 27 Dec 2019.

Every rate then goes through the pair rules of `fx_pairs`: it is turned into its pair's
canonical direction (an inverse UAH/USD row becomes USD/UAH), bounded to a plausible range,
and a pair may appear once per day, except that a direct quote and an inverse quote that
agree within their printed rounding are one fact (the direct one is kept).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from functools import partial
from pathlib import Path

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.intake import fx_pairs
from jointfund.intake.cells import Cells, width_problem
from jointfund.intake.nbu_rates import (
    NbuColumns,
    Skip,
    cell_text,
    header_names,
    json_rates,
    nbu_rate,
    table_columns,
    xlsx_rows,
)
from jointfund.intake.records import FxRecord, Read
from jointfund.intake.sources import cyrillic_text, read_bytes

PLAIN_HEADER = ("date", "base", "quote", "rate")
_ACCEPTED = Message(
    "{header}; or the NBU's table with columns "
    "Дата; Код літерний; Кількість одиниць; Офіційний курс гривні, грн "
    "(or in English: Date; Letter code; Unit; Official hrivnya exchange rates, UAH)",
    header=",".join(PLAIN_HEADER),
)
_XLSX_MAGIC = b"PK\x03\x04"

Row = tuple[int, list[object]]
Rate = tuple[int, FxRecord]
Parse = Callable[[int, list[object]], FxRecord | Skip | None]


def read_fx_rates(path: Path, *, name: str | None = None) -> Read[FxRecord]:
    """Read an FX table of any accepted shape; on any problem raise one InputError."""
    label = name or str(path)
    data = read_bytes(path, name=label)
    problems: list[Problem] = []
    if data.startswith(_XLSX_MAGIC):
        parsed, skipped = _table(list(xlsx_rows(data, label)), label, problems)
    else:
        text = cyrillic_text(data, label)
        if text.lstrip()[:1] in ("[", "{"):
            parsed, skipped = json_rates(text, label, problems)
        else:
            parsed, skipped = _table(_csv_rows(text, label), label, problems)
    items = _settled(parsed, label, problems)
    if not items and not skipped and not problems:
        problems.append(Problem(Message("file has no rates"), file=label))
    if problems:
        # Row checks and the pair checks that follow them run apart; report in file order.
        raise InputError(sorted(problems, key=lambda p: (p.row is not None, p.row or 0)))
    return Read(label, items, skipped)


def _csv_rows(text: str, label: str) -> list[Row]:
    """Non-blank CSV rows with their line numbers, split on `;` when the header uses it."""
    first = text.lstrip().split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if ";" in first else ",")
    rows: list[Row] = []
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((reader.line_num, list(cells)))
    except csv.Error as exc:
        raise InputError(
            [Problem(Message("not valid CSV: {exc}", exc=str(exc)), label, reader.line_num + 1)]
        ) from exc
    return rows


def _table(rows: list[Row], label: str, problems: list[Problem]) -> tuple[list[Rate], int]:
    """Rates of a header-and-rows table (CSV or the first sheet of a workbook)."""
    if not rows:
        raise InputError([Problem(Message("file is empty"), file=label)])
    header_line, header = rows[0]
    names = header_names(header)
    parse: Parse
    if names == list(PLAIN_HEADER):
        parse = partial(_plain, label=label, problems=problems)
    elif (nbu := table_columns(names)) is not None:
        positions = tuple(
            names.index(n) if n is not None else -1
            for n in (nbu.date, nbu.code, nbu.units, nbu.rate)
        )
        parse = partial(_nbu, columns=nbu, positions=positions, label=label, problems=problems)
    else:
        raise InputError(
            [Problem(Message("not a known FX rate header"), label, header_line, expected=_ACCEPTED)]
        )
    parsed: list[Rate] = []
    skipped = 0
    for line, cells in rows[1:]:
        if len(cells) != len(names) and not _trailing_blanks(cells, len(names)):
            problems.append(Problem(width_problem(len(cells), len(names)), label, line))
            continue
        found = parse(line, cells)
        if found is Skip.ROW:
            skipped += 1
        elif found is not None:
            parsed.append((line, found))
    return parsed, skipped


def _trailing_blanks(cells: list[object], width: int) -> bool:
    """Tell whether a spreadsheet row is the header's width once blank cells are ignored."""
    if len(cells) > width:
        return all(c is None or not cell_text(c).strip() for c in cells[width:])
    return False


def _plain(line: int, cells: list[object], label: str, problems: list[Problem]) -> FxRecord | None:
    """One row of the plain shape, as written (any direction)."""
    at = Cells(label, line, problems)
    before = len(problems)
    date_text, base_text, quote_text, rate_text = (cell_text(c) for c in cells[:4])
    on = at.iso_date("date", date_text)
    base = at.currency_code("base", base_text)
    quote = at.currency_code("quote", quote_text)
    rate = at.rate("rate", rate_text)
    if base is not None and base == quote:
        at.problem(
            "quote",
            Message("base and quote are both {base}", base=base),
            Message("two different currencies"),
        )
    if len(problems) > before or on is None or base is None or quote is None or rate is None:
        return None
    return FxRecord(on, base, quote, rate)


def _nbu(
    line: int,
    cells: list[object],
    columns: NbuColumns,
    positions: tuple[int, ...],
    label: str,
    problems: list[Problem],
) -> FxRecord | Skip | None:
    """One row of the NBU's table: hryvnias per `units` of the lettered currency."""
    date_cell, code_cell, units_cell, rate_cell = (cells[i] if i >= 0 else None for i in positions)
    code = cell_text(code_cell)
    at = Cells(label, line, problems)
    return nbu_rate(at, columns, date_cell, code, units_cell, rate_cell)


def _settled(parsed: list[Rate], label: str, problems: list[Problem]) -> list[Rate]:
    """Canonical direction, plausible range, one fact per pair and day (see module doc)."""
    items: list[Rate] = []
    # Where each pair-and-day first appeared: its line, its record, its place in `items`.
    first: dict[tuple[object, str, str], tuple[int, FxRecord, int]] = {}
    for line, record in parsed:
        settled = fx_pairs.canonical(record)
        if not fx_pairs.plausible(settled.rate):
            problems.append(_implausible(record, label, line))
            continue
        key = (settled.on, settled.base, settled.quote)
        earlier = first.get(key)
        if earlier is None:
            first[key] = (line, settled, len(items))
            items.append((line, settled))
            continue
        earlier_line, earlier_record, at = earlier
        if not fx_pairs.same_fact(earlier_record, settled):
            problems.append(_conflict(record, settled, earlier_line, earlier_record, label, line))
        elif (earlier_record.inverted_from is None) == (settled.inverted_from is None):
            problems.append(_repeated(settled, earlier_line, label, line))
        elif earlier_record.inverted_from is not None:
            # The direct quote states the pair as it is kept: it replaces the inverse.
            first[key] = (line, settled, at)
            items[at] = (line, settled)
    return items


def _implausible(record: FxRecord, label: str, line: int) -> Problem:
    """A rate outside the plausible range, in the direction the file gave it."""
    return Problem(
        Message(
            "{base}/{quote} {rate} is not a plausible rate",
            base=record.base,
            quote=record.quote,
            rate=record.rate,
        ),
        label,
        line,
        "rate",
        fx_pairs.RANGE_EXPECTED,
    )


def _repeated(record: FxRecord, earlier: int, label: str, line: int) -> Problem:
    """The same pair and day quoted the same way round twice."""
    return Problem(
        Message(
            "{base}/{quote} on {on} is already on row {earlier}",
            base=record.base,
            quote=record.quote,
            on=record.on,
            earlier=earlier,
        ),
        label,
        line,
        expected=Message("one rate per pair and day"),
    )


def _conflict(
    given: FxRecord,
    settled: FxRecord,
    earlier_line: int,
    earlier: FxRecord,
    label: str,
    line: int,
) -> Problem:
    """A quote that contradicts another of the same pair and day (directly or inverted)."""
    if (earlier.inverted_from is None) == (settled.inverted_from is None):
        return Problem(
            Message(
                "{base}/{quote} on {on} is already on row {earlier_line} with another rate "
                "({printed})",
                base=given.base,
                quote=given.quote,
                on=given.on,
                earlier_line=earlier_line,
                printed=fx_pairs.printed(earlier),
            ),
            label,
            line,
            "rate",
            Message("one rate per pair and day"),
        )
    direct = settled if settled.inverted_from is None else earlier
    return Problem(
        Message(
            "{base}/{quote} {rate} on {on} contradicts row {earlier_line}: {base2}/{quote2} "
            "{rate2} means {quote2}/{base2} {inverse}",
            base=given.base,
            quote=given.quote,
            rate=given.rate,
            on=given.on,
            earlier_line=earlier_line,
            base2=direct.base,
            quote2=direct.quote,
            rate2=direct.rate,
            inverse=fx_pairs.rounded(fx_pairs.inverse(direct.rate)),
        ),
        label,
        line,
        "rate",
        Message("an inverse quote equal to 1 / the direct rate within its printed rounding"),
    )
