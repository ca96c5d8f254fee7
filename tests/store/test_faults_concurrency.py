"""Writers in separate processes race on one guarded account and on one idempotency key."""

from __future__ import annotations

import itertools
import json
from typing import Any

from sqlalchemy import text

from jointfund.store import open_database
from jointfund.store.books import Books

from .fault_poster import CAPITAL_US, CASH, DEPOSIT, FAULT_CHART, WITHDRAWAL, move
from .fault_process import PosterProcess

FUNDING = 1000
TRIES = 100


def _funded_books(url: str) -> Books:
    books = Books(open_database(url))
    for account in FAULT_CHART:
        books.open_account(account)
    books.post(move("funding", FAULT_CHART[0].opened_on, CASH, CAPITAL_US, FUNDING))
    return books


def _run_together(*args_per_process: tuple[str, ...]) -> list[Any]:
    """Start every process, release them at once, and return each one's JSON report."""
    procs = [PosterProcess(*args) for args in args_per_process]
    for proc in procs:
        proc.expect("ready")
    for proc in procs:
        proc.send("go")
    reports = []
    for proc in procs:
        code = proc.finish()
        assert code == 0, f"{proc.args} exited {code}:\n{proc.stderr}"
        reports.append(json.loads(proc.lines[-1]))
    return reports


def _stored_keys(books: Books) -> list[str]:
    with books.db.read() as conn:
        return sorted(conn.execute(text("SELECT key FROM entries")).scalars())


def _switches_between_workers(books: Books) -> int:
    """How often consecutive entries in the chain come from different workers."""
    with books.db.read() as conn:
        keys = conn.execute(text("SELECT key FROM entries ORDER BY seq")).scalars().all()
    workers = [k.split("-", 1)[0] for k in keys if k.startswith("w")]
    return sum(a != b for a, b in itertools.pairwise(workers))


def _cash_low_point(books: Books) -> int:
    """The lowest the guarded account ever stood, replaying its entries in chain order."""
    running, low, after = 0, 0, 0
    while page := books.journal(account=CASH, after_seq=after, limit=500):
        for stored in page:
            running += sum(p.amount for p in stored.entry.postings if p.account == CASH)
            low = min(low, running)
        after = page[-1].seq
    assert running == books.balance(CASH)
    return low


def _race_for_the_guarded_account(url: str, workers: int, pause: float = 0.0) -> None:
    books = _funded_books(url)
    reports = _run_together(
        *(("withdraw", url, str(w), str(TRIES), str(pause)) for w in range(workers))
    )
    withdrawn = [k for r in reports for k in r["withdrawn"]]
    deposited = [k for r in reports for k in r["deposited"]]
    refused = [k for r in reports for k in r["refused"]]
    assert len(withdrawn) + len(refused) == workers * TRIES
    assert refused, "the account never ran dry; the race tested nothing"
    assert withdrawn

    assert _switches_between_workers(books) >= workers, "the writers never interleaved"

    assert _cash_low_point(books) >= 0
    expected = FUNDING + DEPOSIT * len(deposited) - WITHDRAWAL * len(withdrawn)
    assert books.balance(CASH) == expected >= 0
    assert _stored_keys(books) == sorted(["funding", *withdrawn, *deposited])
    report = books.verify()
    assert report.ok, report.findings[:3]
    assert report.entries == report.last_seq == 1 + len(withdrawn) + len(deposited)
    books.db.dispose()


def test_four_postgres_writers_never_overdraw_a_guarded_account(pg_url: str) -> None:
    _race_for_the_guarded_account(pg_url, workers=4)


def test_two_sqlite_writers_never_overdraw_a_guarded_account(sqlite_url: str) -> None:
    # SQLite's busy handler polls with growing sleeps, so a writer that commits back to back
    # keeps the lock for its whole run; a short rest between posts lets the writers interleave.
    _race_for_the_guarded_account(sqlite_url, workers=2, pause=0.003)


def test_two_postgres_writers_posting_the_same_keys_store_each_entry_once(pg_url: str) -> None:
    books = _funded_books(pg_url)
    count = 40
    reports = _run_together(*(("same-key", pg_url, "same-", str(count)),) * 2)
    keys = [f"same-{i:03d}" for i in range(count)]
    for i, key in enumerate(keys):
        (key_a, created_a, seq_a), (key_b, created_b, seq_b) = reports[0][i], reports[1][i]
        assert key_a == key_b == key
        assert [created_a, created_b].count(True) == 1, f"{key} created {created_a}, {created_b}"
        assert seq_a == seq_b
    assert _stored_keys(books) == sorted(["funding", *keys])
    assert books.balance(CASH) == FUNDING + 11 * count
    report = books.verify()
    assert report.ok, report.findings[:3]
    books.db.dispose()
