"""Kept ledger answers (`api.read_cache`, `api.hot_reads`) over real HTTP: a kept balance or
journal page reflects a new entry on the very next request, on SQLite and PostgreSQL, whoever
wrote it; only what an entry can change is dropped; callers are refused exactly as before."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest

from jointfund import store
from jointfund.config import Settings
from jointfund.fund.demo import build_demo
from jointfund.http import create_app
from jointfund.http.api.read_cache import ANY_ENTRY, ReadCache
from jointfund.http.state import BEARER_FAILURE_LIMIT, state_of
from jointfund.ledger import Entry, Posting, chart
from jointfund.store import Database, open_database, upgrade, wipe
from jointfund.store.books import Books
from tests.http.api.conftest import Fund
from tests.http.pages.web_site import Server, free_port

AS_OF = date(2025, 6, 30)


@dataclass
class Served:
    """A demo fund served over HTTP, with the admin's token and the app's read cache."""

    base: str
    db: Database
    token: str
    cache: ReadCache

    def get(self, path: str, **params: str | int) -> httpx.Response:
        """GET `path` as the admin; the answer must be 200."""
        headers = {"Authorization": f"Bearer {self.token}"}
        answer = httpx.get(f"{self.base}{path}", params=params, headers=headers, timeout=30)
        assert answer.status_code == 200, answer.text
        return answer


@pytest.fixture
def served(db_url: str, tmp_path: Path) -> Iterator[Served]:
    db = open_database(db_url)
    token = build_demo(db).logins[0].token
    app = create_app(Settings(database_url=db_url, runs_dir=tmp_path / "runs"))
    cache = state_of(app).read_cache
    port = free_port()
    try:
        with Server(app, port):
            yield Served(f"http://127.0.0.1:{port}", db, token, cache)
    finally:
        db.dispose()


def _post(db: Database, key: str, on: date, minor: int) -> None:
    """Post a one-line adjustment dated `on` straight to the books (as another process would)."""
    Books(db).post(
        Entry(
            key=key,
            effective_date=on,
            kind="adjustment",
            postings=(
                Posting(chart.cash("USD"), minor, "USD"),
                Posting(chart.operating_expenses(), -minor, "USD"),
            ),
        )
    )


def _amounts(answer: httpx.Response) -> list[tuple[str, int]]:
    return [(b["account"], b["balance"]["minor"]) for b in answer.json()["balances"]]


def _ledger_amounts(db: Database, as_of: date | None) -> list[tuple[str, int]]:
    return [(r.account, r.amount) for r in Books(db).balances(as_of)]


def test_a_kept_balance_changes_with_the_first_entry_dated_on_or_before_its_day(
    served: Served,
) -> None:
    first = served.get("/api/ledger/balances", as_of=AS_OF.isoformat())
    again = served.get("/api/ledger/balances", as_of=AS_OF.isoformat())
    assert again.content == first.content
    assert again.headers["content-type"] == first.headers["content-type"] == "application/json"
    assert again.headers["content-length"] == first.headers["content-length"]
    assert ("balances", AS_OF, None) in served.cache, "the answer is kept"
    served.get("/api/ledger/balances")

    _post(served.db, "test:cache-later", date(2025, 7, 1), 700)
    later = served.get("/api/ledger/balances", as_of=AS_OF.isoformat())
    assert later.content == first.content, "an entry after the day changes nothing"
    assert ("balances", AS_OF, None) in served.cache, "and the kept answer stays"
    now = served.get("/api/ledger/balances")
    assert _amounts(now) == _ledger_amounts(served.db, None), "balances now see it at once"

    _post(served.db, "test:cache-earlier", date(2025, 6, 1), 300)
    moved = served.get("/api/ledger/balances", as_of=AS_OF.isoformat())
    assert moved.content != first.content
    assert _amounts(moved) == _ledger_amounts(served.db, AS_OF)
    cash = dict(_amounts(moved))[chart.cash("USD")]
    assert cash == dict(_amounts(first)).get(chart.cash("USD"), 0) + 300


def test_the_last_journal_page_shows_a_new_entry_and_a_full_page_stays(served: Served) -> None:
    total = len(Books(served.db).journal(limit=100_000))
    last = served.get("/api/ledger/journal", after=total - 2, limit=5)
    full = served.get("/api/ledger/journal", after=0, limit=3)
    assert last.json()["next"] is None and len(last.json()["items"]) == 2
    assert full.json()["next"] is not None
    assert served.get("/api/ledger/journal", after=total - 2, limit=5).content == last.content

    _post(served.db, "test:cache-journal", date(2026, 5, 1), 5)
    grown = served.get("/api/ledger/journal", after=total - 2, limit=5).json()
    assert [e["seq"] for e in grown["items"]] == [total - 1, total, total + 1]
    assert grown["items"][-1]["key"] == "test:cache-journal"
    assert served.get("/api/ledger/journal", after=0, limit=3).content == full.content
    assert ("journal", 0, 3) in served.cache, "a page followed by another entry is kept"


def test_a_write_through_the_api_is_seen_by_the_next_read(served: Served) -> None:
    before_now = served.get("/api/ledger/balances").content
    total = len(Books(served.db).journal(limit=100_000))
    served.get("/api/ledger/journal", after=total - 1, limit=10)
    # Filings under the agreement accrue outside the books; a transfer books an entry.
    booked = httpx.post(
        f"{served.base}/api/contributions/transfers",
        json={
            "amount": "1234.00",
            "currency": "UAH",
            "transfer_date": "2026-08-15",
            "period": 2025,
            "reference": "CACHE-1",
        },
        headers={"Authorization": f"Bearer {served.token}"},
        timeout=30,
    )
    assert booked.status_code == 200, booked.text
    assert booked.json()["created"] is True
    now = served.get("/api/ledger/balances")
    assert now.content != before_now
    assert _amounts(now) == _ledger_amounts(served.db, None)
    page = served.get("/api/ledger/journal", after=total - 1, limit=10).json()
    stored = Books(served.db).journal(after_seq=total - 1, limit=11)
    assert [e["seq"] for e in page["items"]] == [s.seq for s in stored]
    assert len(stored) > 1


def test_a_kept_answer_is_refused_to_whom_the_route_refuses(fund: Fund) -> None:
    path = "/api/ledger/balances?as_of=2025-03-31"
    with fund.client("admin") as admin:
        kept = admin.get(path)
        assert admin.get(path).content == kept.content
    for who, status in (
        (None, 401),
        ("unknown", 401),
        ("expired", 401),
        ("revoked", 401),
        ("deactivated", 401),
        ("public", 403),
        ("filer", 403),
    ):
        with fund.client(who) as http:
            answer = http.get(path)
            assert answer.status_code == status, (who, answer.text)
            assert answer.json()["error"]["message"]
    with fund.client("auditor") as auditor:
        assert auditor.get(path).content == kept.content


def test_a_throttled_client_is_refused_even_a_kept_answer(served: Served) -> None:
    served.get("/api/ledger/balances", as_of=AS_OF.isoformat())
    for n in range(BEARER_FAILURE_LIMIT):
        bad = httpx.get(f"{served.base}/api/me", headers={"Authorization": f"Bearer jf_wrong-{n}"})
        assert bad.status_code == 401
    refused = httpx.get(
        f"{served.base}/api/ledger/balances",
        params={"as_of": AS_OF.isoformat()},
        headers={"Authorization": f"Bearer {served.token}"},
    )
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers


def test_the_head_tells_appended_entries_from_rewritten_books(db: Database) -> None:
    build_demo(db)
    seen = Books(db).head_change(None).head
    with db.read() as conn:
        assert store.head.head_change(conn, seen) == store.head.HeadChange(seen, True, None)
    _post(db, "test:head-later", date(2026, 1, 2), 1)
    _post(db, "test:head-earlier", date(2025, 6, 3), 1)
    moved = Books(db).head_change(seen)
    assert moved.extends and moved.earliest == date(2025, 6, 3)
    assert moved.head.seq == seen.seq + 2
    forged = store.head.Head(seen.seq, "0" * 64)
    assert not Books(db).head_change(forged).extends, "another chain at that seq"
    ahead = store.head.Head(moved.head.seq + 1, moved.head.hash)
    assert not Books(db).head_change(ahead).extends, "the books are shorter than seen"


def test_rebuilt_books_drop_every_kept_answer(sqlite_url: str) -> None:
    db = open_database(sqlite_url)
    build_demo(db)
    cache = ReadCache(db)

    async def kept(key: tuple[object, ...]) -> bytes | None:
        return await cache.lookup(key)

    try:
        assert asyncio.run(kept(("balances", None, None))) is None
        assert cache.head is not None
        cache.store(("balances", None, None), cache.head, b"{}", None)
        assert asyncio.run(kept(("balances", None, None))) == b"{}"
        cache.close()
        wipe(db)
        upgrade(db)
        build_demo(db)
        _post(db, "test:rebuilt", date(2026, 1, 2), 1)
        assert asyncio.run(kept(("balances", None, None))) is None
        assert len(cache) == 0
    finally:
        cache.close()
        db.dispose()


def test_lookups_at_once_share_a_look_at_the_head_begun_after_they_arrived(db: Database) -> None:
    """On PostgreSQL a look at the head is a transaction: twenty readers at once share one or
    two looks instead of queueing twenty behind the pool, and each still sees every entry
    committed before it asked."""
    build_demo(db)
    cache = ReadCache(db)
    looks: list[object] = []
    real = cache._watch.head_change

    def counted(since: store.head.Head | None) -> store.head.HeadChange:
        looks.append(since)
        return real(since)

    cache._watch.head_change = counted  # type: ignore[method-assign]
    key = ("balances", None, None)

    async def readers() -> None:
        assert await cache.lookup(key) is None
        assert cache.head is not None
        cache.store(key, cache.head, b"kept", ANY_ENTRY)  # balances now: any entry
        assert await cache.lookup(key) == b"kept"
        before = len(looks)
        _post(db, "test:cache-together", date(2026, 1, 2), 1)
        found = await asyncio.gather(*(cache.lookup(key) for _ in range(20)))
        assert found == [None] * 20, "every reader sees the entry committed before it asked"
        assert cache.head == Books(db).head_change(None).head
        if db.dialect != "sqlite":
            assert len(looks) - before <= 2, len(looks) - before

    try:
        asyncio.run(readers())
    finally:
        cache.close()
