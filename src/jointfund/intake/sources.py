"""Reading input files as text with positions, so every problem can name file, line and field."""

from __future__ import annotations

import csv
import gc
import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from jointfund.errors import InputError, Problem
from jointfund.i18n.message import Message

MAX_FILE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Located:
    """A parsed record and the 1-based line where it starts."""

    line: int
    value: Any


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk read or import.

    A big file makes millions of objects, none in a reference cycle; letting the collector
    scan them again and again as they pile up costs a fifth of the run.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


Progress = Callable[[int], None]
"""Told how many rows a reader has read so far (for a progress bar)."""


def read_bytes(path: Path, *, name: str | None = None) -> bytes:
    """The file's bytes, or an InputError naming the file (unreadable or too large)."""
    label = name or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(
            [Problem(Message("cannot read file: {strerror}", strerror=exc.strerror), file=label)]
        ) from exc
    if size > MAX_FILE_BYTES:
        raise InputError(
            [
                Problem(
                    Message("file is larger than {limit} bytes", limit=MAX_FILE_BYTES),
                    file=label,
                )
            ]
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(
            [Problem(Message("cannot read file: {strerror}", strerror=exc.strerror), file=label)]
        ) from exc


def read_text(path: Path, *, name: str | None = None) -> str:
    """The file's text as UTF-8 (a BOM is allowed), or an InputError naming the file."""
    label = name or str(path)
    data = read_bytes(path, name=label)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            [
                Problem(
                    Message("file is not valid UTF-8"),
                    file=label,
                    row=line,
                    expected=Message("UTF-8 text"),
                )
            ]
        ) from exc
    return without_nul(text, label)


def without_nul(text: str, label: str) -> str:
    """`text`, or an InputError naming the line of its first NUL character (a binary file,
    or text PostgreSQL cannot store)."""
    at = text.find("\x00")
    if at >= 0:
        line = text.count("\n", 0, at) + 1
        raise InputError(
            [
                Problem(
                    Message("file holds a NUL character"),
                    file=label,
                    row=line,
                    expected=Message("text"),
                )
            ]
        )
    return text


def cyrillic_text(data: bytes, label: str) -> str:
    """Bytes as UTF-8 (a BOM is allowed), else as Windows-1251, else an InputError.

    Ukrainian government downloads (Treasury, openbudget, the NBU's site) come in either.
    UTF-8 is tried first: Cyrillic text in Windows-1251 is almost never valid UTF-8.
    """
    try:
        return without_nul(data.decode("utf-8-sig"), label)
    except UnicodeDecodeError:
        pass
    try:
        return without_nul(data.decode("cp1251"), label)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            [
                Problem(
                    Message("file is neither UTF-8 nor Windows-1251 text"),
                    file=label,
                    row=line,
                    expected=Message("UTF-8 or Windows-1251 text"),
                )
            ]
        ) from exc


class DuplicateKeyError(ValueError):
    """A JSON object with a key written twice (json keeps the last one silently)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.key = key

    def located(self, label: str) -> InputError:
        """The error a reader reports for it, naming the file and the key."""
        return InputError(
            [
                Problem(
                    Message("key {key!r} appears twice in one object", key=self.key),
                    file=label,
                    field=self.key,
                    expected=Message(
                        "each key once (a repeated key would silently replace the first)"
                    ),
                )
            ]
        )


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's pairs as a dict, refusing a key written twice."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise DuplicateKeyError(key)
        out[key] = value
    return out


def json_records(text: str, label: str, *, exact_numbers: bool = False) -> list[Located]:
    """Records of a JSON array (or JSON Lines), each with the line it starts on.

    With `exact_numbers`, numbers with a fraction (and NaN, Infinity) come back as Decimal,
    exactly as written, instead of as binary floats.
    """
    decoder = (
        json.JSONDecoder(parse_float=Decimal, parse_constant=Decimal, object_pairs_hook=unique_keys)
        if exact_numbers
        else json.JSONDecoder(object_pairs_hook=unique_keys)
    )
    stripped = text.lstrip()
    if not stripped:
        raise InputError([Problem(Message("file is empty"), file=label)])
    try:
        if stripped.startswith("["):
            return _array_records(text, decoder)
        return [
            Located(n, decoder.decode(line))
            for n, line in enumerate(text.splitlines(), start=1)
            if line.strip()
        ]
    except json.JSONDecodeError as exc:
        raise InputError(
            [Problem(Message("not valid JSON: {msg}", msg=exc.msg), file=label, row=exc.lineno)]
        ) from exc
    except DuplicateKeyError as exc:
        raise exc.located(label) from None
    except ValueError as exc:
        # An integer of more digits than Python converts (a guard against slow parsing).
        raise InputError(
            [Problem(Message("not valid JSON: {exc}", exc=str(exc)), file=label)]
        ) from exc
    except RecursionError as exc:
        # json recurses once per level; "[[[[..." a few thousand deep exhausts the stack.
        raise InputError([Problem(Message("JSON nested too deeply"), file=label)]) from exc


def _array_records(text: str, decoder: json.JSONDecoder) -> list[Located]:
    pos = text.index("[") + 1
    found: list[Located] = []
    while True:
        pos = _skip_space(text, pos)
        if pos < len(text) and text[pos] == "]":
            if _skip_space(text, pos + 1) != len(text):
                raise json.JSONDecodeError("extra data after the array", text, pos + 1)
            return found
        if found:
            if pos >= len(text) or text[pos] != ",":
                raise json.JSONDecodeError("expected ',' or ']'", text, pos)
            pos = _skip_space(text, pos + 1)
        value, end = decoder.raw_decode(text, pos)
        found.append(Located(text.count("\n", 0, pos) + 1, value))
        pos = end


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def csv_rows(
    text: str, label: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Iterator[Located]:
    """Rows of a CSV with a header, as dicts with their line numbers; checks the header first."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames
    except csv.Error as exc:
        raise InputError(
            [Problem(Message("not valid CSV: {exc}", exc=str(exc)), label, 1)]
        ) from exc
    if not header:
        raise InputError([Problem(Message("file is empty"), file=label)])
    names = [h.strip() for h in header]
    missing = [c for c in required if c not in names]
    unknown = [c for c in names if c not in required and c not in optional]
    if missing or unknown:
        problems = [
            Problem(Message("missing column {column!r}", column=c), file=label, row=1, field=c)
            for c in missing
        ]
        problems += [
            Problem(Message("unknown column {column!r}", column=c), file=label, row=1, field=c)
            for c in unknown
        ]
        expected = ", ".join(required + optional)
        raise InputError([Problem(p.message, p.file, p.row, p.field, expected) for p in problems])
    reader.fieldnames = names
    try:
        for row in reader:
            if None in row:
                yield Located(reader.line_num, {"__extra__": row[None]})
                continue
            yield Located(reader.line_num, {k: (v or "").strip() for k, v in row.items()})
    except csv.Error as exc:
        # A field past csv's size limit, for one; the rows read so far were yielded.
        raise InputError(
            [Problem(Message("not valid CSV: {exc}", exc=str(exc)), label, reader.line_num + 1)]
        ) from exc
