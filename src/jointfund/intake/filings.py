"""Revenue filings (CSV or JSON) read into FilingRecords, fast enough for bulk imports.

Columns (JSON: keys of one object per filing, amounts as strings): licence_id, period
(YYYY-MM for a month, YYYY-Qn for a quarter), stream (a catalogue stream id), gross_amount,
currency (ISO 4217), payer_reference;
optional version (whole number >= 1, blank = 1), costs (blank = 0, never above gross) and
received_on (YYYY-MM-DD, blank = the period's last day). Amounts are non-negative decimals in
the currency's minor unit; zero is allowed (a nil return, or a correction down to nothing).
A (payer_reference, version) pair may appear once per file: a repeat is refused whether its
content differs or not, since a correction must carry a new version.

Each row takes a fast path: every repeated value (licence, month, stream, currency, version,
date) is looked up in a per-file cache of values already validated, amounts go straight to
`parse_amount`. Anything the fast path cannot vouch for goes to the full check, which finds
and words every problem in the row (and fills the caches with what it validated).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import repeat
from operator import itemgetter
from pathlib import Path

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message
from jointfund.intake.cells import FORMULA_START, Cells, check_header, width_problem
from jointfund.intake.records import FilingRecord, Read
from jointfund.intake.sources import cyclic_gc_paused, json_records, read_text
from jointfund.money import AmountError, parse_amount
from jointfund.terms import RevenueStream

REQUIRED = ("licence_id", "period", "stream", "gross_amount", "currency", "payer_reference")
OPTIONAL = ("version", "costs", "received_on")
COLUMNS = REQUIRED + OPTIONAL
PROGRESS_EVERY = 10_000
_STREAMS = tuple(s.value for s in RevenueStream)
_MAX_VERSION = 1_000_000
# The store's column widths (filings.licence_id, filings.payer_reference).
MAX_LICENCE_ID = 64
MAX_REFERENCE = 128

Row = tuple[int, Sequence[str]]


def read_filings(
    path: Path, *, progress: Callable[[int], None] | None = None, name: str | None = None
) -> Read[FilingRecord]:
    """Read a filings file; on any problem raise one InputError listing them all.

    `progress(rows_done)` is called every 10,000 rows and once at the end.
    """
    label = name or str(path)
    text = read_text(path, name=label)
    problems: list[Problem] = []
    if _is_json(path, text):
        table = _json_table(text, label, problems)
    else:
        table = _csv_table(text, label, problems)
    with cyclic_gc_paused():
        items = _Checker(label, problems).run(table, progress)
    if not items and not problems:
        problems.append(Problem(Message("file has no filings"), file=label))
    if problems:
        raise InputError(problems)
    return Read(label, items)


def _is_json(path: Path, text: str) -> bool:
    """JSON by extension; for other names, by the first character."""
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonl", ".ndjson"):
        return True
    return suffix != ".csv" and text.lstrip()[:1] in ("[", "{")


@dataclass(frozen=True, slots=True)
class _Table:
    """Rows still to check, how many cells each must have, and how to order them as COLUMNS."""

    rows: Iterator[tuple[int, Sequence[str]]]
    width: int = len(COLUMNS)
    # Blank cells that complete a row whose file has COLUMNS in order but ends early.
    pad: tuple[str, ...] = ()
    # Set when the file's columns are in another order: picks them from a row with one
    # blank cell appended, which stands for every absent optional column.
    pick: Callable[[Sequence[str]], Sequence[str]] | None = None


def _csv_table(text: str, label: str, problems: list[Problem]) -> _Table:
    """The CSV's header checked; its rows left to iterate, as fast as the text allows."""
    records = _records(text, label, problems)
    header: list[str] | None = None
    for _, cells in records:
        if cells and cells != [""]:
            header = cells
            break
    index = check_header(header, label, REQUIRED, OPTIONAL)
    width = len(index)
    positions = [index.get(column, width) for column in COLUMNS]
    if positions[:width] == list(range(width)):
        return _Table(records, width, pad=("",) * (len(COLUMNS) - width))
    return _Table(records, width, pick=itemgetter(*positions))


def _records(text: str, label: str, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """Lines split into cells: by plain splitting when nothing is quoted, else by csv."""
    if "\r" in text and text.count("\r") == text.count("\r\n"):
        text = text.replace("\r\n", "\n")
    if '"' in text or "\r" in text:
        return _quoted_records(text, label, problems)
    # Without quotes or stray carriage returns csv's rules reduce to these two splits,
    # which run in C without a Python frame per row: twice csv.reader's speed.
    return enumerate(map(str.split, text.split("\n"), repeat(",")), start=1)


def _quoted_records(
    text: str, label: str, problems: list[Problem]
) -> Iterator[tuple[int, list[str]]]:
    """Rows as the csv module reads them, with the line each one ends on."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as exc:
        problems.append(
            Problem(Message("not valid CSV: {exc}", exc=str(exc)), label, reader.line_num + 1)
        )


def _json_table(text: str, label: str, problems: list[Problem]) -> _Table:
    """The JSON objects as rows of cells in COLUMNS order."""
    return _Table(_json_rows(text, label, problems))


def _json_rows(text: str, label: str, problems: list[Problem]) -> Iterator[Row]:
    """JSON objects checked for shape and turned into the cells the CSV gives."""
    known = set(COLUMNS)
    expected_fields = ", ".join(COLUMNS)
    for record in json_records(text, label):
        value = record.value
        at = Cells(label, record.line, problems)
        if not isinstance(value, dict):
            at.problem(None, Message("filing must be an object"))
            continue
        before = len(problems)
        for key in sorted(set(value) - known):
            at.problem(key, Message("unknown field {key!r}", key=key), expected_fields)
        cells: list[str] = []
        for key in COLUMNS:
            item = value.get(key)
            if item is None:
                cells.append("")
            elif isinstance(item, str):
                cells.append(item)
            elif key == "version" and type(item) is int:
                cells.append(str(item))
            elif key in ("gross_amount", "costs"):
                at.problem(
                    key,
                    Message("{key} must be a decimal string", key=key),
                    Message('a string such as "1500.00"'),
                )
            else:
                at.problem(key, Message("{key} must be a string", key=key), Message("a string"))
        if len(problems) == before:
            yield record.line, cells


class _Checker:
    """Validates rows of one file, caching every repeated value it has already vouched for."""

    def __init__(self, label: str, problems: list[Problem]) -> None:
        """Start with empty caches; problems are appended to `problems`."""
        self.label = label
        self.problems = problems
        self.licences: dict[str, str] = {}
        self.periods: dict[str, tuple[str, date]] = {}
        self.streams: dict[str, RevenueStream] = {}
        self.currencies: dict[str, str] = {}
        self.versions: dict[str, int] = {"": 1}
        self.dates: dict[str, date] = {}

    def run(
        self, table: _Table, progress: Callable[[int], None] | None
    ) -> list[tuple[int, FilingRecord]]:
        """Check every row; return the good records with their lines."""
        items: list[tuple[int, FilingRecord]] = []
        # Keyed by the reference alone for version 1, the usual case, to spare a tuple a row.
        seen: dict[str | tuple[str, int], tuple[int, FilingRecord]] = {}
        licences, periods, streams = self.licences, self.periods, self.streams
        currencies, versions, dates = self.currencies, self.versions, self.dates
        width, pad, pick = table.width, table.pad, table.pick
        count = 0
        for line, cells in table.rows:
            if len(cells) != width:
                if cells and cells != [""]:
                    count += 1
                    self._wrong_width(line, len(cells), width)
                continue
            if pad:
                cells = [*cells, *pad]
            elif pick is not None:
                cells = pick([*cells, ""])
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
            (
                licence_text,
                period_text,
                stream_text,
                gross_text,
                currency_text,
                reference_text,
                version_text,
                costs_text,
                received_text,
            ) = cells
            licence_id = licences.get(licence_text)
            period = periods.get(period_text)
            stream = streams.get(stream_text)
            ccy = currencies.get(currency_text)
            version = versions.get(version_text)
            reference = reference_text.strip()
            record: FilingRecord | None = None
            if (
                licence_id is not None
                and period is not None
                and stream is not None
                and ccy is not None
                and version is not None
                and reference
                and len(reference) <= MAX_REFERENCE
                and reference[0] not in FORMULA_START
                and reference_text[0] not in FORMULA_START
            ):
                received = dates.get(received_text) if received_text else period[1]
                try:
                    gross = parse_amount(gross_text, ccy, allow_negative=False)
                    costs = parse_amount(costs_text, ccy, allow_negative=False) if costs_text else 0
                except AmountError:
                    pass
                else:
                    if received is not None and costs <= gross:
                        record = FilingRecord(
                            licence_id,
                            period[0],
                            period[1],
                            stream,
                            gross,
                            ccy,
                            reference,
                            version,
                            costs,
                            received,
                        )
                        key = reference if version == 1 else (reference, version)
            if record is None:
                record = self._full_check(line, cells)
                if record is None:
                    continue
                reference, version = record.payer_reference, record.version
                key = reference if version == 1 else (reference, version)
            earlier = seen.get(key)
            if earlier is not None:
                self._duplicate(line, record, earlier)
                continue
            item = (line, record)
            seen[key] = item
            items.append(item)
        if progress is not None and count % PROGRESS_EVERY:
            progress(count)
        return items

    def _wrong_width(self, line: int, cells: int, width: int) -> None:
        """Report a row with more or fewer cells than the header has columns."""
        self.problems.append(Problem(width_problem(cells, width), self.label, line))

    def _duplicate(
        self, line: int, record: FilingRecord, earlier: tuple[int, FilingRecord]
    ) -> None:
        """Report a payer reference and version seen before, with or without other content."""
        where = Message(
            "payer reference {reference!r} version {version}",
            reference=record.payer_reference,
            version=record.version,
        )
        if earlier[1] == record:
            message = Message("row repeats row {row} ({where})", row=earlier[0], where=where)
        else:
            message = Message(
                "{where} is already on row {row} with other content", where=where, row=earlier[0]
            )
        self.problems.append(
            Problem(
                message,
                self.label,
                line,
                "payer_reference",
                Message(
                    "each payer reference and version once per file; a correction takes a new "
                    "version"
                ),
            )
        )

    def _full_check(self, line: int, cells: Sequence[str]) -> FilingRecord | None:
        """Check every cell of a row the fast path refused, naming each problem."""
        (
            licence_text,
            period_text,
            stream_text,
            gross_text,
            currency_text,
            reference_text,
            version_text,
            costs_text,
            received_text,
        ) = cells
        at = Cells(self.label, line, self.problems)
        before = len(self.problems)
        licence_id = at.text("licence_id", licence_text, limit=MAX_LICENCE_ID)
        span = at.period("period", period_text)
        stream = at.choice("stream", stream_text, _STREAMS)
        ccy = at.currency_code("currency", currency_text)
        reference = at.text("payer_reference", reference_text, limit=MAX_REFERENCE)
        version = (
            at.integer("version", version_text, minimum=1, maximum=_MAX_VERSION)
            if version_text.strip()
            else 1
        )
        received = at.iso_date("received_on", received_text) if received_text.strip() else None
        gross = costs = None
        if ccy is not None:
            gross = at.amount("gross_amount", gross_text, ccy)
            costs = at.amount("costs", costs_text, ccy) if costs_text.strip() else 0
            if gross is not None and costs is not None and costs > gross:
                at.problem(
                    "costs",
                    Message("costs exceed the gross amount"),
                    Message("costs no larger than gross"),
                )
        self._remember(cells, licence_id, span, stream, ccy, version, received)
        if (
            len(self.problems) > before
            or licence_id is None
            or span is None
            or stream is None
            or ccy is None
            or reference is None
            or version is None
            or gross is None
            or costs is None
        ):
            return None
        period, period_end = self.periods[period_text]
        return FilingRecord(
            licence_id,
            period,
            period_end,
            RevenueStream(stream),
            gross,
            ccy,
            reference,
            version,
            costs,
            received if received is not None else period_end,
        )

    def _remember(
        self,
        cells: Sequence[str],
        licence_id: str | None,
        span: tuple[str, date] | None,
        stream: str | None,
        ccy: str | None,
        version: int | None,
        received: date | None,
    ) -> None:
        """Cache each value the full check vouched for, so later rows take the fast path."""
        licence_text, period_text, stream_text, _, currency_text = cells[:5]
        version_text, _, received_text = cells[6:]
        if licence_id is not None:
            self.licences[licence_text] = licence_id
        if span is not None:
            self.periods[period_text] = span
        if stream is not None:
            self.streams[stream_text] = RevenueStream(stream)
        if ccy is not None:
            self.currencies[currency_text] = ccy
        if version is not None:
            self.versions[version_text] = version
        if received is not None:
            self.dates[received_text] = received
