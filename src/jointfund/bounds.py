"""Bounds on free-form input (text and JSON metadata), the same on SQLite and PostgreSQL.

PostgreSQL refuses a NUL character in text and text longer than its column; SQLite stores
both. A JSON value nested hundreds deep is stored fine but cannot be read back by every
serialiser (the journal API once answered 500 for good after one such entry), and an
integer past 64 bits or a NaN is not portable JSON. So every reader checks, before anything
is written, that text has no NUL or lone surrogate and fits its column, and that metadata
stays within `MAX_DEPTH` levels, `MAX_ITEMS` members, `MAX_TEXT` characters a string and
64-bit integers. Checking is iterative: a deep value cannot exhaust the stack here.
"""

from __future__ import annotations

import math
import re
from typing import Any

from jointfund.i18n.message import Message

MAX_DEPTH = 8
MAX_ITEMS = 1000
MAX_TEXT = 4000
MAX_KEY_TEXT = 200
INT_RANGE = (-(2**63), 2**63 - 1)
_BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")
METADATA_EXPECTED = Message(
    "a JSON object at most {depth} levels deep, {items} members, "
    "strings of at most {text} characters, 64-bit integers",
    depth=MAX_DEPTH,
    items=MAX_ITEMS,
    text=MAX_TEXT,
)


def storable(text: str) -> bool:
    """True when `text` has no NUL and no unpaired surrogate (its length is judged apart)."""
    return _BAD_CHARACTER.search(text) is None


def text_problem(text: str, limit: int) -> str | None:
    """Why `text` cannot be stored in a column of `limit` characters, or None."""
    bad = _BAD_CHARACTER.search(text)
    if bad is not None:
        if bad.group() == "\x00":
            return Message("text holds a NUL character at position {at}", at=bad.start() + 1)
        return Message("text holds an unpaired surrogate at position {at}", at=bad.start() + 1)
    if len(text) > limit:
        return Message(
            "text is {length} characters long, more than {limit}", length=len(text), limit=limit
        )
    return None


def value_problems(value: Any, field: str, *, max_depth: int = MAX_DEPTH) -> list[tuple[str, str]]:
    """Every way a JSON value breaks the bounds, as (field path, message) pairs."""
    problems: list[tuple[str, str]] = []
    stack: list[tuple[Any, str, int]] = [(value, field, 1)]
    seen = 0
    while stack and len(problems) < 20:
        item, path, depth = stack.pop()
        seen += 1
        if seen > MAX_ITEMS * 10:
            problems.append((field, Message("more than {limit} values", limit=MAX_ITEMS * 10)))
            break
        if isinstance(item, dict | list):
            if depth > max_depth:
                problems.append(
                    (path, Message("nested deeper than {depth} levels", depth=max_depth))
                )
                continue
            if len(item) > MAX_ITEMS:
                problems.append((path, Message("more than {limit} members", limit=MAX_ITEMS)))
                continue
            pairs = item.items() if isinstance(item, dict) else ((i, v) for i, v in enumerate(item))
            for key, member in pairs:
                if isinstance(key, str) and (why := text_problem(key, MAX_KEY_TEXT)):
                    problems.append((path, Message("a key: {why}", why=why)))
                    continue
                stack.append((member, f"{path}.{key}", depth + 1))
        elif isinstance(item, str):
            if why := text_problem(item, MAX_TEXT):
                problems.append((path, why))
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if not INT_RANGE[0] <= item <= INT_RANGE[1]:
                problems.append((path, Message("integer outside 64 bits")))
        elif isinstance(item, float):
            if not math.isfinite(item):
                problems.append((path, Message("not a finite number")))
        else:
            problems.append((path, Message("not a JSON value: {kind}", kind=type(item).__name__)))
    return problems
