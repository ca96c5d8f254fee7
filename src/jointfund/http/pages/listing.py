"""A list's sort and page size as the pages handle them: the sort read from the address
(`sort=date`, `sort=-date`), refused when the list does not offer it, and one link per
sortable column header that toggles the order and starts again from the first page
(filters kept); `limit` rows a page, 1 to 200."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from jointfund.errors import InputError, Problem
from jointfund.fund.sorting import Sort, parse_sort
from jointfund.i18n.message import Message

CURSORS = ("after", "before", "sort", "format", "lang")
MAX_PAGE_SIZE = 200


def read_limit(text: str, default: int) -> int:
    """Rows a page: `default` unless the address asks for 1 to 200."""
    if not text:
        return default
    if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_PAGE_SIZE:
        return int(text)
    reason = Message("not a page size: {text!r}", text=text[:40])
    most = Message("1–{most}", most=MAX_PAGE_SIZE)
    raise InputError([Problem(reason, field="limit", expected=most)])


def read_sort(text: str, offered: Sequence[str], default: str) -> Sort:
    """The sort the address names; a sort the list does not offer is the caller's mistake."""
    found = parse_sort(text, dict.fromkeys(offered), default)
    if found is None:
        reason = Message("not a sort of this list: {text!r}", text=text[:40])
        expected = ", ".join(f"{n}, -{n}" for n in offered)
        raise InputError([Problem(reason, field="sort", expected=expected)])
    return found


def sort_links(
    path: str, query: Mapping[str, str], current: Sort, offered: Sequence[str], default: str
) -> dict[str, Any]:
    """For each sortable column: the address that sorts by it (the other way round when it is
    the sort now), and its `aria-sort` (ascending, descending, or none when not the sort)."""
    kept = {k: v for k, v in query.items() if k not in CURSORS and v}
    links: dict[str, Any] = {}
    for name in offered:
        now = current.name == name
        toggled = Sort(name, not current.descending) if now else Sort(name)
        wanted = {**kept, **({} if toggled.text == default else {"sort": toggled.text})}
        links[name] = {
            "href": path + ("?" + urlencode(wanted) if wanted else ""),
            "aria": ("descending" if current.descending else "ascending") if now else "none",
        }
    return {"sort": current.text, "sorts": links}


def kept_sort(current: Sort, default: str) -> dict[str, str]:
    """The sort as a query parameter for the pager's links (none for the default)."""
    return {} if current.text == default else {"sort": current.text}
