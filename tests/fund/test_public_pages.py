"""The public tables a page at a time, read from the kept sums a page's worth at a time, give
exactly the rows of the whole tables cut in order, on both backends: holders that differ only
in case or by a suffix, in Latin and Cyrillic letters, holders of several licences filing in
two currencies, every page size, one year and every year. Names are compared byte for byte
on PostgreSQL too, whatever collation its database was created with."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from jointfund.errors import InputError
from jointfund.fund import filings, licences
from jointfund.fund.public_tables import TablePage, public_pages, tables_in
from jointfund.store import Database
from tests.conftest import pg_admin_url, require_pg
from tests.fund.booking.booking_fixtures import HEADER, write
from tests.operator import operator
from tests.reports.report_fixtures import built_demo

HOLDERS = ("alpha", "Beta", "Beta Holdings", "beta", "Ґрунт", "Явір", "Zeta", "Ärzte")
COLUMNS = (
    "licence_id,holder,holder_registry_id,deposit,resources,oblast,instrument,issued_on,status"
)


@pytest.fixture
def books(db_url: str, tmp_path: Path) -> Iterator[Database]:
    db = _books(db_url, tmp_path)
    yield db
    db.dispose()


@pytest.fixture
def ukrainian_collation() -> Iterator[str]:
    """A fresh PostgreSQL database whose text sorts as Ukrainian does (ICU): "alpha" before
    "Beta", "Ґ" before "Я"."""
    require_pg()
    name = f"jf_uk_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(
            text(
                f'CREATE DATABASE "{name}" TEMPLATE template0 LOCALE_PROVIDER icu '
                "ICU_LOCALE 'uk-UA' LOCALE 'C.UTF-8'"
            )
        )
    try:
        yield pg_admin_url().rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _books(url: str, folder: Path) -> Database:
    db = built_demo(url)
    rows, lines = [], []
    for h, holder in enumerate(HOLDERS):
        for k in range(1 + h % 3):  # one to three licences a holder
            lid = f"UA-PG-{h}{k}"
            rows.append(
                f'{lid},"{holder}",{41000000 + h},Deposit {h}{k},titanium,Kirovohrad,'
                "special_permit,2025-07-11,active"
            )
            for currency in ("UAH", "USD")[: 1 + k % 2]:
                year = "2025" if (h + k) % 4 == 0 else "2026"
                lines.append(
                    f"{lid},{year}-07,royalty,{1000 + 7 * h + k}.00,{currency},"
                    f"PG-{lid}-{currency},1,0.00,{year}-08-15\n"
                )
    licences.import_licences(db, operator(db), write(folder, "l.csv", "\n".join([COLUMNS, *rows])))
    filings.import_filings(db, operator(db), write(folder, "f.csv", HEADER + "".join(lines)))
    return db


@pytest.mark.parametrize("year", [None, 2026])
def test_pages_are_the_whole_tables_cut_in_order(books: Database, year: int | None) -> None:
    _walk(books, year)


@pytest.mark.postgres
def test_pages_keep_the_order_in_a_database_that_sorts_text_as_ukrainian(
    ukrainian_collation: str, tmp_path: Path
) -> None:
    db = _books(ukrainian_collation, tmp_path)
    try:
        with db.read() as tx:
            first = tx.execute(text("SELECT min(holder) FROM licences")).scalar_one()
        assert first != "Beta", "the database's own order is not Python's"
        _walk(db, None)
    finally:
        db.dispose()


def _walk(books: Database, year: int | None) -> None:
    """Walk both tables at every page size; they must be the whole tables, in order."""
    with books.read() as tx:
        whole = tables_in(tx, year)
    assert len(whole.companies) >= 5 and len(whole.projects) > len(whole.companies)
    for limit in (1, 2, 3, 50):
        projects = _every_page(books, year, limit, "projects")
        assert projects == list(whole.projects), f"projects, {limit} a page"
        companies = _every_page(books, year, limit, "companies")
        assert companies == list(whole.companies), f"companies, {limit} a page"
    names = [c.name for c in whole.companies]
    assert names == sorted(names)  # Python's order: code points, "Beta" before "alpha"
    if year is None:
        assert set(names) >= set(HOLDERS)
        assert names.index("Beta") < names.index("alpha") < names.index("Ärzte")
        # by code point, as Python sorts the whole tables: "Я" (U+042F) before "Ґ" (U+0490),
        # where a Ukrainian collation would put "Ґ" first
        assert names.index("Ärzte") < names.index("Явір") < names.index("Ґрунт")


def test_a_licence_of_another_year_is_not_a_cursor_of_this_one(books: Database) -> None:
    with books.read() as tx:
        every = {p.licence_id for p in tables_in(tx, None).projects}
        this = {p.licence_id for p in tables_in(tx, 2026).projects}
    other = sorted(every - this)[0]
    public_pages(books, None, "", other)  # held by the every-year table
    with pytest.raises(InputError, match="projects_after"):
        public_pages(books, 2026, "", other)


def _every_page(books: Database, year: int | None, limit: int, table: str) -> list[object]:
    """Every row of one table, a page after another from the first; each page says how many
    rows the whole table holds."""
    rows: list[object] = []
    after, counts = "", set()
    while True:
        pages = (
            public_pages(books, year, "", after, limit)
            if table == "projects"
            else public_pages(books, year, after, "", limit)
        )
        page: TablePage[Any] = getattr(pages, table)
        counts.add(page.count)
        rows.extend(page.rows)
        if page.next_after is None:
            break
        after = page.next_after
    assert counts == {len(rows)}
    return rows
