"""Readers of published commodity price files: the World Bank Pink Sheet, USGS Data Series 140,
and the small derived CSV the package ships; each gives dated series with their attribution."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message

PINK_SHEET = "World Bank Commodity Price Data (The Pink Sheet)"
PINK_SHEET_LICENCE = "CC BY 4.0"
USGS_DS140 = (
    "U.S. Geological Survey: Kelly, T.D., and Matos, G.R., Historical statistics for mineral "
    "and material commodities in the United States, USGS Data Series 140"
)
USGS_LICENCE = "public domain (U.S. Government work)"
_MONTH = re.compile(r"^(\d{4})M(\d{2})$")
_CSV_FIELDS = ("code", "name", "unit", "publisher", "licence", "vintage", "frequency", "file")


@dataclass(frozen=True, slots=True)
class PriceSeries:
    """One published price series: periods ("2025M11" or "2021") with values (NaN = missing)."""

    code: str
    name: str
    unit: str
    publisher: str
    licence: str
    vintage: str
    frequency: str  # "monthly" or "annual"
    periods: tuple[str, ...]
    values: tuple[float, ...]
    file: str

    @property
    def attribution(self) -> str:
        """The credit line the publisher asks for, with the vintage."""
        return f"{self.publisher} ({self.licence}), {self.vintage}"

    def observed(self) -> list[tuple[str, float]]:
        """(period, value) pairs that carry a number."""
        return [(p, v) for p, v in zip(self.periods, self.values, strict=True) if math.isfinite(v)]


def _number(cell: Any) -> float:
    """A cell as a price: numbers as they are; the publishers' '…', 'NA', 'W' and blanks as NaN."""
    if isinstance(cell, bool):
        return math.nan
    if isinstance(cell, int | float):
        return float(cell)
    return math.nan


def _open(path: Path) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(
            [
                Problem(
                    Message("not a readable .xlsx workbook: {reason}", reason=str(exc)),
                    file=str(path),
                )
            ]
        ) from exc
    except Exception as exc:  # zipfile.BadZipFile and openpyxl's own errors
        raise InputError(
            [
                Problem(
                    Message("not a readable .xlsx workbook: {reason}", reason=str(exc)),
                    file=str(path),
                )
            ]
        ) from exc


def read_prices(path: str | Path) -> list[PriceSeries]:
    """Every series in a Pink Sheet or DS140 workbook, or in a derived CSV written by
    `write_series_csv`; the layout is recognised from the file itself."""
    src = Path(path)
    if not src.exists():
        raise InputError([Problem(Message("no such file"), file=str(src))])
    if src.suffix.lower() == ".csv":
        return read_series_csv(src)
    book = _open(src)
    try:
        if "Monthly Prices" in book.sheetnames:
            return _pink_sheet(book["Monthly Prices"], src)
        first = book.worksheets[0]
        rows = [tuple(r) for r in first.iter_rows(max_row=8, values_only=True)]
        if any(r and isinstance(r[0], str) and r[0].strip() == "Year" for r in rows):
            return _ds140(first, src)
    finally:
        book.close()
    raise InputError(
        [
            Problem(
                Message("workbook layout not recognised"),
                file=str(src),
                expected=Message("a Pink Sheet (sheet 'Monthly Prices') or a USGS DS140 workbook"),
            )
        ]
    )


def _pink_sheet(sheet: Any, src: Path) -> list[PriceSeries]:
    """Sheet 'Monthly Prices': names, units and codes in the three rows above the first month."""
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    vintage = next(
        (
            str(r[0]).strip()
            for r in rows[:10]
            if r and isinstance(r[0], str) and r[0].strip().lower().startswith("updated on")
        ),
        "vintage not stated",
    )
    first = next(
        (i for i, r in enumerate(rows) if r and isinstance(r[0], str) and _MONTH.match(r[0])), None
    )
    if first is None or first < 3:
        raise InputError(
            [Problem(Message("no monthly rows found"), file=str(src), field="Monthly Prices!A")]
        )
    names, units, codes = rows[first - 3], rows[first - 2], rows[first - 1]
    months = [(i, str(r[0])) for i, r in enumerate(rows) if r and _MONTH.match(str(r[0] or ""))]
    out = []
    for col in range(1, len(codes)):
        code = codes[col]
        if not isinstance(code, str) or not code.strip():
            continue
        values = tuple(_number(rows[i][col] if col < len(rows[i]) else None) for i, _ in months)
        out.append(
            PriceSeries(
                code=code.strip(),
                name=str(names[col] or code).strip(),
                unit=str(units[col] or "").strip().strip("()"),
                publisher=PINK_SHEET,
                licence=PINK_SHEET_LICENCE,
                vintage=vintage,
                frequency="monthly",
                periods=tuple(m for _, m in months),
                values=values,
                file=src.name,
            )
        )
    return out


def _ds140(sheet: Any, src: Path) -> list[PriceSeries]:
    """A DS140 sheet: title, basis note and modification date above a 'Year' header row."""
    rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r and str(r[0] or "").strip() == "Year")
    title = str(rows[0][0] or "").strip()
    commodity = re.sub(r"\s*STATISTICS.*$", "", title, flags=re.IGNORECASE).strip().lower()
    basis = next(
        (str(r[0]).strip() for r in rows[:header] if r and str(r[0] or "").startswith("[")), ""
    )
    vintage = next(
        (
            str(r[0]).strip()
            for r in rows[:header]
            if r and str(r[0] or "").lower().startswith("last modification")
        ),
        "vintage not stated",
    )
    years = [
        (i, int(r[0]))
        for i, r in enumerate(rows[header + 1 :], start=header + 1)
        if r and isinstance(r[0], int | float) and not isinstance(r[0], bool)
    ]
    out = []
    content = re.search(r"metric tons \(t\) ([a-z ]+?) unless", basis)
    per = f" {content.group(1)} content" if content else ""
    for col, head in enumerate(rows[header]):
        label = str(head or "").strip()
        if not label.lower().startswith("unit value"):
            continue
        real = "98$" in label
        code = f"{commodity.replace(' ', '_')}_unit_value" + ("_1998usd" if real else "")
        unit = ("1998 USD" if real else "USD") + f"/t{per}"
        values = tuple(_number(rows[i][col] if col < len(rows[i]) else None) for i, _ in years)
        out.append(
            PriceSeries(
                code=code,
                name=f"{commodity} {label}".strip(),
                unit=unit,
                publisher=USGS_DS140,
                licence=USGS_LICENCE,
                vintage=vintage,
                frequency="annual",
                periods=tuple(str(y) for _, y in years),
                values=values,
                file=src.name,
            )
        )
    if not out:
        said = Message("no 'Unit value' column")
        raise InputError([Problem(said, file=str(src), row=header + 1)])
    return out


def pick(series: Sequence[PriceSeries], code: str, file: str) -> PriceSeries:
    """The series with this code (case-insensitive), or a located error listing the codes."""
    for s in series:
        if s.code.lower() == code.lower():
            return s
    raise InputError(
        [
            Problem(
                Message("no series {code!r}", code=code),
                file=file,
                field="--series",
                expected=Message("{choices}", choices=", ".join(s.code for s in series)),
            )
        ]
    )


def write_series_csv(series: Iterable[PriceSeries], path: str | Path) -> Path:
    """A small derived file: one block per series, headed by its attribution (what we ship)."""
    series = list(series)
    buf = io.StringIO()
    buf.write(
        "# Derived from published price files; keep the attribution of each series with any\n"
        "# figure shown from it. Changes: the series below selected and reshaped to one row per\n"
        "# period; values as published.\n"
    )
    if any(s.licence == PINK_SHEET_LICENCE for s in series):
        buf.write("# CC BY 4.0: https://creativecommons.org/licenses/by/4.0/\n")
    buf.write("# Columns: code, period, value (blank = not published).\n")
    writer = csv.writer(buf, lineterminator="\n")
    for s in series:
        for key in _CSV_FIELDS:
            buf.write(f"# {s.code}.{key}: {getattr(s, key)}\n")
    writer.writerow(["code", "period", "value"])
    for s in series:
        for p, v in zip(s.periods, s.values, strict=True):
            writer.writerow([s.code, p, "" if not math.isfinite(v) else repr(v)])
    out = Path(path)
    out.write_text(buf.getvalue(), encoding="utf-8")
    return out


def read_series_csv(path: Path) -> list[PriceSeries]:
    """Series from a file written by `write_series_csv`."""
    meta: dict[str, dict[str, str]] = {}
    data: dict[str, list[tuple[str, float]]] = {}
    problems = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        said = Message("cannot read as UTF-8 text: {reason}", reason=str(exc))
        raise InputError([Problem(said, file=str(path))]) from exc
    body, line_no = [], []
    for number, line in enumerate(lines, start=1):
        m = re.match(r"^# ([^.\s]+)\.(\w+): (.*)$", line)
        if m:
            meta.setdefault(m.group(1), {})[m.group(2)] = m.group(3)
        elif not line.startswith("#"):
            body.append(line)
            line_no.append(number)
    reader = csv.DictReader(body)
    if not {"code", "period", "value"} <= set(reader.fieldnames or ()):
        raise InputError(
            [
                Problem(
                    Message("not a derived price file"),
                    str(path),
                    expected=Message("columns {columns}", columns="code,period,value"),
                )
            ]
        )
    for k, row in enumerate(reader, start=1):
        try:
            value = float(row["value"]) if row["value"] else math.nan
        except (TypeError, ValueError):
            problems.append(Problem(Message("not a number"), str(path), line_no[k], "value"))
            continue
        data.setdefault(row["code"] or "", []).append((row["period"] or "", value))
    missing = sorted(set(data) - set(meta))
    problems += [
        Problem(Message("series {code!r} has no header", code=c), str(path)) for c in missing
    ]
    if problems:
        raise InputError(problems)
    return [
        PriceSeries(
            code=code,
            name=meta[code].get("name", code),
            unit=meta[code].get("unit", ""),
            publisher=meta[code].get("publisher", ""),
            licence=meta[code].get("licence", ""),
            vintage=meta[code].get("vintage", ""),
            frequency=meta[code].get("frequency", "annual"),
            periods=tuple(p for p, _ in rows),
            values=tuple(v for _, v in rows),
            file=meta[code].get("file", path.name),
        )
        for code, rows in data.items()
    ]


def annual(series: PriceSeries) -> list[tuple[int, float]]:
    """Calendar-year values: an annual series as it is; a monthly one as the mean of years with
    all twelve months published (the engine's yearly price stands for a year's average)."""
    if series.frequency == "annual":
        return [(int(p), v) for p, v in series.observed()]
    by_year: dict[int, list[float]] = {}
    for p, v in series.observed():
        m = _MONTH.match(p)
        if m:
            by_year.setdefault(int(m.group(1)), []).append(v)
    return [(y, sum(vs) / 12.0) for y, vs in sorted(by_year.items()) if len(vs) == 12]


def latest_level(series: PriceSeries) -> tuple[float, str]:
    """The starting price: the mean of the last 12 published months (or the last annual value),
    and the period it covers."""
    obs = series.observed()
    if series.frequency == "annual":
        period, value = obs[-1]
        return value, period
    tail = obs[-12:]
    return sum(v for _, v in tail) / len(tail), f"{tail[0][0]}-{tail[-1][0]}"
