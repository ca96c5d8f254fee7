"""The public tables by company and project a page at a time: every row once, in order, each
summing its licences' payments, and cursors that hold when the books change between pages."""

from __future__ import annotations

from collections import defaultdict

import pytest

from jointfund.errors import InputError
from jointfund.fund import transparency_data
from jointfund.fund.public_tables import (
    CompanyRow,
    LicenceSums,
    ProjectRow,
    public_pages,
    tables_from_sums,
    tables_in,
)
from jointfund.store import Database

from .report_fixtures import demo_db

__all__ = ["demo_db"]


@pytest.mark.parametrize("year", [None, 2026])
def test_pages_walk_every_company_and_project_once_with_the_sums_of_its_payments(
    demo_db: Database, year: int | None
) -> None:
    with demo_db.read() as tx:
        tables = tables_in(tx, year)  # the whole tables, read in one go
    assert len(tables.projects) >= 3 and len(tables.companies) >= 2
    walked_projects: list[ProjectRow] = []
    after, pages = "", 0
    while True:
        page = public_pages(demo_db, year, "", after, limit=2).projects
        assert page.count == len(tables.projects) and len(page.rows) <= 2
        walked_projects.extend(page.rows)
        pages += 1
        if page.next_after is None:
            break
        after = page.next_after
    assert walked_projects == list(tables.projects)
    assert pages == -(-len(tables.projects) // 2)
    walked_companies: list[CompanyRow] = []
    name = ""
    while True:
        cpage = public_pages(demo_db, year, name, "", limit=1).companies
        assert cpage.count == len(tables.companies)
        walked_companies.extend(cpage.rows)
        if cpage.next_after is None:
            break
        name = cpage.next_after
    assert walked_companies == list(tables.companies)
    assert [c.name for c in walked_companies] == sorted({c.name for c in tables.companies})

    report = transparency_data.transparency_report(demo_db, year)
    amounts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in report.rows:
        amounts[row.licence_id][row.currency] += row.amount_minor
    assert {p.licence_id: dict(p.amounts) for p in walked_projects} == {
        k: dict(v) for k, v in amounts.items()
    }
    by_licence: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_company: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    licences: dict[str, set[str]] = defaultdict(set)
    for row in report.rows:
        for sums in (by_licence[row.licence_id], by_company[row.company]):
            sums[0] += 1
            sums[1] += row.fund_share_usd_minor
        licences[row.company].add(row.licence_id)
    assert {p.licence_id: [p.payments, p.fund_share_usd_minor] for p in walked_projects} == (
        dict(by_licence)
    )
    assert {c.name: [c.payments, c.fund_share_usd_minor] for c in walked_companies} == (
        dict(by_company)
    )
    assert {c.name: c.licences for c in walked_companies} == {
        k: len(v) for k, v in licences.items()
    }
    ordered = [(p.company, p.licence_id) for p in walked_projects]
    assert ordered == sorted(ordered)


def test_the_first_pages_are_kept_per_version_of_the_books_and_later_ones_are_not(
    demo_db: Database,
) -> None:
    assert public_pages(demo_db, 2026, "", "") is public_pages(demo_db, 2026, "", "")
    assert public_pages(demo_db, 2026, "", "") is not public_pages(demo_db, 2025, "", "")
    first = public_pages(demo_db, None, "", "", limit=1)
    later = public_pages(demo_db, None, "", str(first.projects.next_after), limit=1)
    again = public_pages(demo_db, None, "", str(first.projects.next_after), limit=1)
    assert later == again and later is not again  # read afresh: crawlers keep nothing


def _line(licence: str, company: str, currency: str, amount: int, usd: int) -> LicenceSums:
    return (licence, company, "12345678", f"deposit {licence}", "Lvivska", ("lithium",),
            currency, 1, amount, usd)  # fmt: skip


def test_companies_and_projects_sum_every_licence_and_currency() -> None:
    tables = tables_from_sums(
        [
            _line("L-1", "Alpha", "UAH", 1_000, 12),
            _line("L-1", "Alpha", "USD", 500, 250),
            _line("L-3", "Gamma", "UAH", 2_000, 24),
            _line("L-2", "Beta", "UAH", 300, 0),
            _line("L-4", "Gamma", "USD", 70, 70),
            _line("L-4", "Gamma", "UAH", 5, 1),
        ]
    )
    gamma = tables.companies[2]
    assert (gamma.licences, gamma.payments, gamma.fund_share_usd_minor) == (2, 3, 95)
    assert gamma.amounts == (("UAH", 2_005), ("USD", 70))
    assert [p.licence_id for p in tables.projects] == ["L-1", "L-2", "L-3", "L-4"]
    assert tables.projects[3].amounts == (("UAH", 5), ("USD", 70))
    assert [c.name for c in tables.companies] == ["Alpha", "Beta", "Gamma"]
    alpha = tables.companies[0]
    assert alpha.amounts == (("UAH", 1_000), ("USD", 500)) and alpha.fund_share_usd_minor == 262
    assert alpha.payments == 2 and alpha.licences == 1


def test_a_cursor_left_by_a_company_that_is_gone_continues_after_its_place(
    demo_db: Database,
) -> None:
    with demo_db.read() as tx:
        names = [c.name for c in tables_in(tx, None).companies]
    gone = names[0] + "~"  # stood after the first company on an earlier page
    page = public_pages(demo_db, None, gone, "", limit=50).companies
    assert [c.name for c in page.rows] == [n for n in names if n > gone]
    last = public_pages(demo_db, None, names[-1], "").companies
    assert last.rows == () and last.next_after is None


def test_a_project_cursor_the_table_does_not_hold_is_a_located_error(demo_db: Database) -> None:
    with pytest.raises(InputError) as caught:
        public_pages(demo_db, None, "", "L-404")
    problem = caught.value.problems[0]
    assert problem.field == "projects_after"
    assert "L-404" in str(problem.message)
