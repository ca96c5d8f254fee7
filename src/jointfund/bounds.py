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

MAX_DEPTH = 8
MAX_ITEMS = 1000
MAX_TEXT = 4000
MAX_KEY_TEXT = 200
INT_RANGE = (-(2**63), 2**63 - 1)
_BAD_CHARACTER = re.compile("[\x00\ud800-\udfff]")
METADATA_EXPECTED = (
    f"a JSON object at most {MAX_DEPTH} levels deep, {MAX_ITEMS} members, "
    f"strings of at most {MAX_TEXT} characters, 64-bit integers"
)


def text_problem(text: str, limit: int) -> str | None:
    """Why `text` cannot be stored in a column of `limit` characters, or None."""
    bad = _BAD_CHARACTER.search(text)
    if bad is not None:
        what = "a NUL character" if bad.group() == "\x00" else "an unpaired surrogate"
        return f"text holds {what} at position {bad.start() + 1}"
    if len(text) > limit:
        return f"text is {len(text)} characters long, more than {limit}"
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
            problems.append((field, f"more than {MAX_ITEMS * 10} values"))
            break
        if isinstance(item, dict | list):
            if depth > max_depth:
                problems.append((path, f"nested deeper than {max_depth} levels"))
                continue
            if len(item) > MAX_ITEMS:
                problems.append((path, f"more than {MAX_ITEMS} members"))
                continue
            pairs = item.items() if isinstance(item, dict) else ((i, v) for i, v in enumerate(item))
            for key, member in pairs:
                if isinstance(key, str) and (why := text_problem(key, MAX_KEY_TEXT)):
                    problems.append((path, f"a key: {why}"))
                    continue
                stack.append((member, f"{path}.{key}", depth + 1))
        elif isinstance(item, str):
            if why := text_problem(item, MAX_TEXT):
                problems.append((path, why))
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if not INT_RANGE[0] <= item <= INT_RANGE[1]:
                problems.append((path, "integer outside 64 bits"))
        elif isinstance(item, float):
            if not math.isfinite(item):
                problems.append((path, "not a finite number"))
        else:
            problems.append((path, f"not a JSON value: {type(item).__name__}"))
    return problems
