"""The public tables by company and by project, summed from the kept filing sums, kept with
the books' version and shown a page at a time: a national register holds tens of thousands
of licences, and a public page must cost the same whatever it holds.

A page starts after the row a cursor names (the company's name; the project's licence),
so the pages do not shift when the books change between one page and the next.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from jointfund.errors import InputError, Problem
from jointfund.fund.kept_reads import kept_read
from jointfund.fund.public_reports import LicenceLine, licence_lines_in
from jointfund.i18n.message import Message
from jointfund.store import Database

_T = TypeVar("_T")
PAGE = 50
"""Rows of each table a page shows; the downloads hold every row."""


@dataclass(frozen=True, slots=True)
class CompanyRow:
    """One licence holder's filed payments: amounts per currency, the fund's share in USD."""

    name: str
    registry_id: str
    licences: int
    payments: int
    amounts: tuple[tuple[str, int], ...]
    fund_share_usd_minor: int


@dataclass(frozen=True, slots=True)
class ProjectRow:
    """One licence and its deposit: amounts per currency, the fund's share in USD."""

    licence_id: str
    project: str
    company: str
    oblast: str
    resources: tuple[str, ...]
    payments: int
    amounts: tuple[tuple[str, int], ...]
    fund_share_usd_minor: int


@dataclass(frozen=True, slots=True)
class PublicTables:
    """Every company (by name) and project (by company, then licence) of a fiscal year."""

    companies: tuple[CompanyRow, ...]
    projects: tuple[ProjectRow, ...]
    company_keys: tuple[str, ...]
    project_keys: tuple[tuple[str, str], ...]
    holders: Mapping[str, str]
    """The company of each licence in the projects table: where a cursor falls."""


@dataclass(frozen=True, slots=True)
class TablePage(Generic[_T]):
    """The rows of one page, how many rows the table holds, and the cursor of the next page
    (None on the last)."""

    rows: Sequence[_T]
    count: int
    next_after: str | None


def _amounts(by_currency: dict[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(by_currency.items()))


def tables_from_lines(lines: Iterable[LicenceLine]) -> PublicTables:
    """The company and project tables summed from licence lines (one per licence and
    currency); every sum in integer minor units."""
    companies: dict[str, tuple[str, set[str], list[int], dict[str, int]]] = {}
    projects: dict[str, tuple[LicenceLine, list[int], dict[str, int]]] = {}
    for x in lines:
        _, held, sums, amounts = companies.setdefault(
            x.company, (x.company_registry_id, set(), [0, 0], {})
        )
        held.add(x.licence_id)
        sums[0] += x.payments
        sums[1] += x.fund_share_usd_minor
        amounts[x.currency] = amounts.get(x.currency, 0) + x.amount_minor
        _, psums, pamounts = projects.setdefault(x.licence_id, (x, [0, 0], {}))
        psums[0] += x.payments
        psums[1] += x.fund_share_usd_minor
        pamounts[x.currency] = pamounts.get(x.currency, 0) + x.amount_minor
    company_rows = tuple(
        CompanyRow(name, rid, len(held), sums[0], _amounts(amounts), sums[1])
        for name, (rid, held, sums, amounts) in sorted(companies.items())
    )
    project_rows = tuple(
        ProjectRow(
            lid,
            first.project,
            first.company,
            first.oblast,
            first.resources,
            sums[0],
            _amounts(amounts),
            sums[1],
        )
        for lid, (first, sums, amounts) in sorted(
            projects.items(), key=lambda i: (i[1][0].company, i[0])
        )
    )
    return PublicTables(
        company_rows,
        project_rows,
        tuple(c.name for c in company_rows),
        tuple((p.company, p.licence_id) for p in project_rows),
        {p.licence_id: p.company for p in project_rows},
    )


def public_tables(db: Database, year: int | None) -> PublicTables:
    """The company and project tables of a fiscal year (every year when None), read once
    per version of the books (public data: no permission to check)."""
    with db.read() as conn:
        return kept_read(
            conn,
            db,
            ("public_tables", year),
            lambda tx: tables_from_lines(licence_lines_in(tx, year)),
        )


def _unknown(field: str, after: str) -> InputError:
    reason = Message("no row {after!r} in this table", after=after[:80])
    return InputError([Problem(reason, field=field, expected=Message("a cursor from a page link"))])


def company_page(tables: PublicTables, after: str, limit: int = PAGE) -> TablePage[CompanyRow]:
    """The companies after the one named `after` (from the first when empty)."""
    start = bisect_right(tables.company_keys, after) if after else 0
    return _page(tables.companies, start, limit, lambda r: r.name)


def project_page(tables: PublicTables, after: str, limit: int = PAGE) -> TablePage[ProjectRow]:
    """The projects after the licence `after` (from the first when empty); a licence the
    table does not hold is a located error, since its place in the order is unknown."""
    start = 0
    if after:
        company = tables.holders.get(after)
        if company is None:
            raise _unknown("projects_after", after)
        start = bisect_right(tables.project_keys, (company, after))
    return _page(tables.projects, start, limit, lambda r: r.licence_id)


def _page(rows: Sequence[_T], start: int, limit: int, key: Callable[[_T], str]) -> TablePage[_T]:
    shown = rows[start : start + limit]
    following = key(shown[-1]) if shown and start + limit < len(rows) else None
    return TablePage(shown, len(rows), following)
