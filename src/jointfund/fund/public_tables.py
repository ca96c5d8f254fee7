"""The public tables by company and by project, summed from the kept filing sums, kept with
the books' version and shown a page at a time: a national register holds tens of thousands
of licences, and a public page must cost the same whatever it holds.

A page starts after the row a cursor names (the company's name; the project's licence),
so the pages do not shift when the books change between one page and the next.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import Any, Generic, TypeVar

from jointfund.errors import InputError, Problem
from jointfund.fund.kept_reads import kept_read
from jointfund.i18n.message import Message
from jointfund.store import Database, Tx
from jointfund.store.filing_totals import public_licence_sums
from jointfund.store.public_pages import (
    holder_of,
    holders_after,
    licences_after,
    sums_of,
    table_counts,
)

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


@dataclass(frozen=True, slots=True)
class TablePage(Generic[_T]):
    """The rows of one page, how many rows the table holds, and the cursor of the next page
    (None on the last)."""

    rows: Sequence[_T]
    count: int
    next_after: str | None


LicenceSums = tuple[str, str, str, str, str, tuple[str, ...], str, int, int, int]
"""(licence, holder, registry code, deposit, oblast, resources, currency, payments, gross,
fund's share in USD): one licence's sums in one currency, as the tables are built from."""


def tables_from_sums(sums: Iterable[LicenceSums]) -> PublicTables:
    """The tables from per-licence-and-currency sums, in one pass over them sorted by holder,
    licence and currency. Most licences file in one currency and most holders hold one
    licence, so those rows are taken as they are (a register of 20,000 licences: 665 ms to
    read and build the tables through licence records and per-company and per-project
    dictionaries, 195 ms this way, of which the read 85 ms)."""
    projects: list[ProjectRow] = []
    registry: dict[str, str] = {}
    for licence_id, group in groupby(sorted(sums, key=_order), key=itemgetter(0)):
        lines = list(group)
        _, holder, registry_id, deposit, oblast, resources, currency, payments, gross, usd = lines[
            0
        ]
        registry.setdefault(holder, registry_id)
        amounts: tuple[tuple[str, int], ...] = ((currency, gross),)
        if len(lines) > 1:
            payments = sum(x[7] for x in lines)
            amounts = tuple((x[6], x[8]) for x in lines)
            usd = sum(x[9] for x in lines)
        projects.append(
            ProjectRow(licence_id, deposit, holder, oblast, resources, payments, amounts, usd)
        )
    companies: list[CompanyRow] = []
    for name, held in groupby(projects, key=attrgetter("company")):
        rows = list(held)
        if len(rows) == 1:
            p = rows[0]
            companies.append(
                CompanyRow(name, registry[name], 1, p.payments, p.amounts, p.fund_share_usd_minor)
            )
            continue
        by_currency: dict[str, int] = {}
        for p in rows:
            for currency, amount in p.amounts:
                by_currency[currency] = by_currency.get(currency, 0) + amount
        companies.append(
            CompanyRow(
                name,
                registry[name],
                len(rows),
                sum(p.payments for p in rows),
                tuple(sorted(by_currency.items())),
                sum(p.fund_share_usd_minor for p in rows),
            )
        )
    return PublicTables(tuple(companies), tuple(projects))


def _order(r: LicenceSums) -> tuple[str, str, str]:
    return (r[1], r[0], r[6])


def tables_in(tx: Tx, year: int | None) -> PublicTables:
    """The whole tables of a fiscal year (every year when None) read afresh in `tx`: what
    the pages are cut from, a page at a time (`pages_in`)."""
    return tables_from_sums(_parsed(public_licence_sums(tx, year)))


def _parsed(rows: Iterable[Sequence[Any]]) -> list[LicenceSums]:
    """Kept sums as read, with each licence's resources parsed (a few lists serve every
    licence) and the sums as integers."""
    parsed: dict[str, tuple[str, ...]] = {}
    sums: list[LicenceSums] = []
    for lid, holder, rid, deposit, oblast, text, currency, payments, gross, usd in rows:
        resources = parsed.get(text)
        if resources is None:
            resources = parsed[text] = tuple(json.loads(text))
        sums.append(
            (lid, holder, rid, deposit, oblast, resources, currency, int(payments), int(gross),
             int(usd))
        )  # fmt: skip
    return sums


@dataclass(frozen=True, slots=True)
class PublicPages:
    """One page of each public table, as the public page shows them side by side."""

    companies: TablePage[CompanyRow]
    projects: TablePage[ProjectRow]


def public_pages(
    db: Database, year: int | None, companies_after: str, projects_after: str, limit: int = PAGE
) -> PublicPages:
    """The page of companies after `companies_after` (a name) and of projects after the
    licence `projects_after` (from the first when empty) of a fiscal year (every year when
    None); public data: no permission to check. The first pages, what most visitors see, are
    read once per version of the books; a page further on is read each time (a crawler
    walking every page would otherwise push the other kept answers out)."""
    read = functools.partial(
        pages_in, year=year, companies_after=companies_after, projects_after=projects_after,
        limit=limit,
    )  # fmt: skip
    with db.read() as conn:
        if companies_after or projects_after:
            return read(conn)
        return kept_read(conn, db, ("public_pages", year, limit), read)


def pages_in(
    tx: Tx, year: int | None, companies_after: str, projects_after: str, limit: int = PAGE
) -> PublicPages:
    """`public_pages` read afresh in `tx`: the next licences or holders from the kept sums,
    then the sums of just those, built into rows as the whole tables are (`tables_from_sums`).
    A page of companies after a name no longer held continues after its place; a licence the
    table does not hold is a located error, since its place in the order is unknown."""
    companies, projects = table_counts(tx, year)
    after: tuple[str, str] | None = None
    if projects_after:
        holder = holder_of(tx, year, projects_after)
        if holder is None:
            raise _unknown("projects_after", projects_after)
        after = (holder, projects_after)
    ids = licences_after(tx, year, after, limit + 1)
    shown = tables_from_sums(_parsed(sums_of(tx, year, licence_ids=ids[:limit]))).projects
    names = holders_after(tx, year, companies_after, limit + 1)
    held = tables_from_sums(_parsed(sums_of(tx, year, holders=names[:limit]))).companies
    return PublicPages(
        TablePage(held, companies, names[limit - 1] if len(names) > limit else None),
        TablePage(shown, projects, ids[limit - 1] if len(ids) > limit else None),
    )


def _unknown(field: str, after: str) -> InputError:
    reason = Message("no row {after!r} in this table", after=after[:80])
    return InputError([Problem(reason, field=field, expected=Message("a cursor from a page link"))])
