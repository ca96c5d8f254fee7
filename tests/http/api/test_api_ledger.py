"""The ledger over HTTP: journal pages with stable cursors, entries, balances, verify."""

from __future__ import annotations

from datetime import date

from jointfund.ledger import Entry, Posting, chart
from jointfund.store.books import Books
from tests.http.api.conftest import Fund


def _all_pages(fund: Fund, limit: int) -> list[dict[str, object]]:
    seen: list[dict[str, object]] = []
    url: str | None = f"/api/ledger/journal?limit={limit}"
    with fund.client("auditor") as http:
        while url:
            page = http.get(url)
            assert page.status_code == 200, page.text
            seen += page.json()["items"]
            url = page.json()["next"]
    return seen


def test_paging_the_journal_visits_every_entry_once_in_chain_order(fund: Fund) -> None:
    everything = Books(fund.db).journal(limit=100_000)
    pages = _all_pages(fund, limit=4)
    assert [e["seq"] for e in pages] == [s.seq for s in everything]
    assert [e["hash"] for e in pages] == [s.hash for s in everything]


def test_a_cursor_returns_the_same_page_after_new_entries_are_posted(fund: Fund) -> None:
    with fund.client("admin") as http:
        # Pages of one entry: the example books few entries now its receipts accrue until
        # transferred, and only a full page is stable.
        first = http.get("/api/ledger/journal", params={"limit": 1}).json()
        cursor = first["next"]
        before = http.get(cursor).json()
        Books(fund.db).post(
            Entry(
                key="test:cursor-stability",
                effective_date=date(2026, 5, 1),
                kind="adjustment",
                postings=(
                    Posting(chart.cash("USD"), 1, "USD"),
                    Posting(chart.operating_expenses(), -1, "USD"),
                ),
            )
        )
        after = http.get(cursor).json()
    assert [e["seq"] for e in after["items"]] == [e["seq"] for e in before["items"]]
    assert after["items"] == before["items"]


def test_an_entry_by_seq_and_by_key_carries_postings_hash_and_links(fund: Fund) -> None:
    stored = Books(fund.db).journal(limit=1)[0]
    with fund.client("auditor") as http:
        by_seq = http.get(f"/api/ledger/entries/{stored.seq}").json()
        by_key = http.get("/api/ledger/entries/by-key", params={"key": stored.entry.key}).json()
        missing = http.get("/api/ledger/entries/999999")
    assert by_seq == by_key
    assert by_seq["hash"] == stored.hash and by_seq["prev_hash"] == stored.prev_hash
    assert [(p["account"], p["amount"]["minor"]) for p in by_seq["postings"]] == [
        (p.account, p.amount) for p in stored.entry.postings
    ]
    assert sum(p["amount"]["minor"] for p in by_seq["postings"]) == 0
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_balances_as_of_a_date_equal_the_ledgers(fund: Fund) -> None:
    ledger = Books(fund.db)
    with fund.client("auditor") as http:
        for as_of, root in [
            (date(2025, 6, 30), None),
            (date(2025, 12, 31), None),
            (date(2026, 3, 31), "Equity"),
            (None, "Assets"),
        ]:
            params = {k: str(v) for k, v in {"as_of": as_of, "root": root}.items() if v}
            got = http.get("/api/ledger/balances", params=params)
            assert got.status_code == 200, got.text
            rows = [
                (b["account"], b["balance"]["currency"], b["balance"]["minor"])
                for b in got.json()["balances"]
            ]
            assert rows == [(r.account, r.currency, r.amount) for r in ledger.balances(as_of, root)]


def test_verify_reports_the_books_consistent(fund: Fund) -> None:
    with fund.client("auditor") as http:
        report = http.get("/api/ledger/verify").json()
    assert report["ok"] is True
    assert report["findings"] == []
    assert report["last_seq"] == Books(fund.db).journal(limit=100_000)[-1].seq
