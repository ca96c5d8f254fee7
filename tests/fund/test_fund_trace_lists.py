"""The auditor's lists on the example fund under the draft terms: the licence register a page
at a time (by id, searched) and the journal's count of what a filter matches."""

from __future__ import annotations

from datetime import date

import pytest

from jointfund.fund import books, licences, trace
from jointfund.fund.users import authenticate
from jointfund.governance import User
from jointfund.ledger import Entry, Posting
from jointfund.store import Database
from jointfund.store.books import Books
from tests.http.pages.trace_site import build_trace_books


@pytest.fixture(scope="module")
def fund(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, User]:
    db, _, tokens = build_trace_books(tmp_path_factory.mktemp("lists"))
    return db, authenticate(db, tokens["auditor"])


def test_the_licence_register_pages_by_id_both_ways_and_counts(
    fund: tuple[Database, User],
) -> None:
    db, auditor = fund
    everything = [r.licence_id for r in licences.list_licences(db, auditor)]
    seen: list[str] = []
    after: str | None = None
    while True:
        page, count = licences.licence_page(db, auditor, after=after, limit=3)
        if not page:
            break
        seen += [r.licence_id for r in page]
        after = page[-1].licence_id
    assert seen == everything and count == len(everything) > 3
    back, _ = licences.licence_page(db, auditor, before=everything[5], limit=3)
    assert [r.licence_id for r in back] == everything[2:5]


def test_a_licence_search_matches_an_id_prefix_or_a_holder(fund: tuple[Database, User]) -> None:
    db, auditor = fund
    everything = licences.list_licences(db, auditor)
    prefix = everything[0].licence_id[:10]
    found, count = licences.licence_page(db, auditor, search=prefix)
    assert count == len(found) == sum(1 for r in everything if r.licence_id.startswith(prefix))
    holder = everything[-1].holder
    found, count = licences.licence_page(db, auditor, search=holder[2:8].upper())
    assert holder in {r.holder for r in found}
    assert all(holder[2:8].lower() in r.holder.lower() for r in found)
    none, zero = licences.licence_page(db, auditor, search="100%_no such")
    assert none == [] and zero == 0


def test_the_journal_count_is_what_its_filter_pages_through(fund: tuple[Database, User]) -> None:
    db, auditor = fund
    for filters in ({}, {"kind": "inflow"}, {"account": "Assets:Cash"}, {"kind": "reversal"}):
        every = books.journal(db, auditor, limit=100_000, **filters)  # type: ignore[arg-type]
        assert trace.journal_count(db, auditor, **filters) == len(every), filters  # type: ignore[arg-type]


def test_an_account_history_pages_whole_entries_with_a_running_balance(
    fund: tuple[Database, User],
) -> None:
    db, auditor = fund
    account = "Assets:Cash:UAH"
    Books(db).post(
        Entry(
            key="test:two-postings-to-one-account",
            effective_date=date(2026, 5, 1),
            kind="adjustment",
            postings=(
                Posting(account, 100, "UAH"),
                Posting(account, 200, "UAH"),
                Posting("Equity:Conversion:UAH", -300, "UAH"),
            ),
        )
    )
    whole = trace.account_ledger(db, auditor, account, limit=10_000)
    assert not whole.more and whole.count == len(whole.lines)
    for size in (1, 2, 3):
        lines, after, more = [], 0, True
        while more:
            page = trace.account_ledger(db, auditor, account, after_seq=after, limit=size)
            assert len({x.seq for x in page.lines}) <= size, "whole entries, at most a page"
            lines += page.lines
            after, more = page.lines[-1].seq, page.more
        assert lines == whole.lines, size
    balance = 0
    for line in whole.lines:
        balance += line.amount
        assert line.balance == balance
    assert balance == books.balances(db, auditor, root=account)[0].amount
