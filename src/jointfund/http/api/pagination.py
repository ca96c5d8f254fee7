"""Stable cursors: a page is what follows `after` (a seq, or a key such as a licence id), and
`next` names the last one shown."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar
from urllib.parse import urlencode

T = TypeVar("T")
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_ID = 2**63 - 1
"""Ids and seqs are 64-bit in both databases; larger numbers are refused as input."""


def page_of(
    fetched: Sequence[T],
    limit: int,
    cursor: Callable[[T], int | str],
    path: str,
    query: Mapping[str, object],
) -> tuple[list[T], str | None]:
    """Cut `fetched` (asked for limit + 1 rows) to a page, with the next page's URL or None.

    Seqs only grow and entries are never edited, so a cursor taken now returns the same rows
    later, whatever is posted in between (new entries appear on later pages).
    """
    items = list(fetched[:limit])
    if len(fetched) <= limit:
        return items, None
    params = {k: v for k, v in query.items() if v is not None and k not in ("after", "limit")}
    params |= {"after": cursor(items[-1]), "limit": limit}
    return items, f"{path}?{urlencode(params)}"
