"""Ledger posting throughput and balance latency, against baselines measured in the same run.

Prints entries/s for 200k two-posting entries in batches of 1, 100 and 10,000 on SQLite and
PostgreSQL; the ratio to a raw driver `executemany` of the same rows with no ledger logic; the
ratio to Beancount loading the same journal as text; balance-lookup p50/p99 at 1M entries.

The raw baseline writes what a posted batch writes, in the same schema with the same indexes:
its entry rows, its posting rows, the same materialised totals (each (account, day) total and
each account balance the batch moves, added by the same `INSERT ... ON CONFLICT DO UPDATE`) and
the ledger head, one transaction per batch, through the driver's `executemany`; the totals are
summed before the clock starts. What it leaves out is the ledger's work: checks, hashing,
idempotency and the totals' arithmetic.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

from beancount import loader
from sqlalchemy import create_engine, text

from jointfund.ledger import Account, Entry, Posting
from jointfund.reports.beancount_text import beancount_lines
from jointfund.store import open_database
from jointfund.store.books import Books

ACCOUNTS = [Account(f"Assets:Bank:A{i:02d}", "USD", date(2020, 1, 1)) for i in range(50)] + [
    Account(f"Income:Fees:F{i:02d}", "USD", date(2020, 1, 1)) for i in range(50)
]
PG_URL = os.environ.get(
    "JOINTFUND_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def make_entries(n: int, offset: int = 0) -> list[Entry]:
    """`n` two-posting entries spread over 100 accounts and four years."""
    found = []
    for i in range(offset, offset + n):
        cents = 100 + (i * 7919) % 1_000_000
        found.append(
            Entry(
                key=f"bench-{i}",
                effective_date=date(2021, 1, 1) + timedelta(days=i % 1460),
                kind="transfer",
                postings=(
                    Posting(f"Assets:Bank:A{i % 50:02d}", cents, "USD"),
                    Posting(f"Income:Fees:F{(i // 50) % 50:02d}", -cents, "USD"),
                ),
                memo="benchmark",
            )
        )
    return found


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as tmp:
        yield str(Path(tmp) / "bench.db")


@contextmanager
def pg_url() -> Iterator[str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def fresh_ledger(url: str) -> Books:
    books = Books(open_database(url))
    for account in ACCOUNTS:
        books.open_account(account)
    return books


def post_rate(url: str, entries: list[Entry], batch: int) -> float:
    """Entries per second posting `entries` in batches of `batch`, one transaction each."""
    books = fresh_ledger(url)
    started = time.perf_counter()
    for start in range(0, len(entries), batch):
        books.post_many(entries[start : start + batch])
    elapsed = time.perf_counter() - started
    assert books.verify().ok
    books.db.dispose()
    return len(entries) / elapsed


def raw_rate(url: str, entries: list[Entry], batch: int) -> float:
    """Entries per second writing the same rows as a posted batch (entries, postings, day
    totals, balances, the head) with the driver's executemany, no ledger logic."""
    books = fresh_ledger(url)
    with books.db.read() as conn:
        ids = {r.name: r.id for r in conn.execute(text("SELECT id, name FROM accounts"))}
    pg = books.db.dialect == "postgresql"
    mark = "%s" if pg else "?"
    batches = []
    for start in range(0, len(entries), batch):
        entry_rows, posting_rows = [], []
        balances: dict[int, int] = defaultdict(int)
        days: dict[tuple[int, object], int] = defaultdict(int)
        for seq, e in enumerate(entries[start : start + batch], start=start + 1):
            day = e.effective_date if pg else e.effective_date.isoformat()
            entry_rows.append(
                (seq, e.key, day, "2026-01-01T00:00:00.000000Z", e.kind, e.memo, "{}", "[]",
                 None, "0" * 64, "f" * 64)
            )  # fmt: skip
            for idx, p in enumerate(e.postings):
                account = ids[p.account]
                posting_rows.append((seq, idx, account, p.amount, p.currency))
                balances[account] += p.amount
                days[(account, day)] += p.amount
        day_rows = [(a, d, v) for (a, d), v in days.items()]
        batches.append((entry_rows, posting_rows, day_rows, list(balances.items()), seq))
    entry_sql = (
        "INSERT INTO entries (seq, key, effective_date, booked_at, kind, memo, metadata, links, "
        f"reverses_seq, prev_hash, hash) VALUES ({', '.join([mark] * 11)})"
    )
    posting_sql = (
        "INSERT INTO postings (entry_seq, idx, account_id, amount, currency) "
        f"VALUES ({', '.join([mark] * 5)})"
    )
    day_sql = (
        f"INSERT INTO day_totals (account_id, day, amount) VALUES ({mark}, {mark}, {mark}) "
        "ON CONFLICT (account_id, day) DO UPDATE SET amount = day_totals.amount + excluded.amount"
    )
    balance_sql = (
        f"INSERT INTO balances (account_id, amount) VALUES ({mark}, {mark}) "
        "ON CONFLICT (account_id) DO UPDATE SET amount = balances.amount + excluded.amount"
    )
    head_sql = f"UPDATE ledger_head SET last_seq = {mark}, last_hash = {mark} WHERE id = 1"
    started = time.perf_counter()
    for entry_rows, posting_rows, day_rows, balance_rows, last in batches:
        with books.db.write() as conn:
            conn.exec_driver_sql(entry_sql, entry_rows)
            conn.exec_driver_sql(posting_sql, posting_rows)
            conn.exec_driver_sql(day_sql, day_rows)
            conn.exec_driver_sql(balance_sql, balance_rows)
            conn.exec_driver_sql(head_sql, (last, "f" * 64))
    elapsed = time.perf_counter() - started
    books.db.dispose()
    return len(entries) / elapsed


def beancount_rate(entries: list[Entry]) -> float:
    """Entries per second for Beancount to load and validate the same journal as text."""
    with sqlite_url() as url:
        books = fresh_ledger(url)
        books.post_many(entries)
        journal = books.journal(limit=len(entries))
        source = "\n".join(beancount_lines(books.accounts(), journal))
        books.db.dispose()
    started = time.perf_counter()
    _, errors, _ = loader.load_string(source)
    elapsed = time.perf_counter() - started
    assert not errors, errors[:3]
    return len(entries) / elapsed


def lookup_latency(n_entries: int, lookups: int) -> tuple[float, float, float, float, float]:
    """p50/p99 in ms of current and as-of balance lookups on a SQLite ledger of `n_entries`."""
    with sqlite_url() as url:
        books = fresh_ledger(url)
        started = time.perf_counter()
        for start in range(0, n_entries, 10_000):
            books.post_many(make_entries(min(10_000, n_entries - start), offset=start))
        load_rate = n_entries / (time.perf_counter() - started)
        names = [a.name for a in ACCOUNTS]

        def timed(call: Callable[[int], int]) -> list[float]:
            found = []
            for i in range(lookups):
                t0 = time.perf_counter()
                call(i)
                found.append((time.perf_counter() - t0) * 1000)
            return found

        now = timed(lambda i: books.balance(names[i % len(names)]))
        as_of = timed(
            lambda i: books.balance(
                names[(i * 7) % len(names)], date(2021, 1, 1) + timedelta(days=(i * 37) % 1460)
            )
        )
        books.db.dispose()

    def pct(values: list[float], q: int) -> float:
        return statistics.quantiles(values, n=100)[q - 1]

    return pct(now, 50), pct(now, 99), pct(as_of, 50), pct(as_of, 99), load_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--single", type=int, default=5_000, help="entries for the batch-of-1 run")
    parser.add_argument("--beancount", type=int, default=20_000, help="entries Beancount loads")
    parser.add_argument("--lookup-entries", type=int, default=1_000_000)
    parser.add_argument("--skip-pg", action="store_true")
    args = parser.parse_args()

    entries = make_entries(args.entries)
    backends: list[tuple[str, Callable[[], contextmanager[str]]]] = [("sqlite", sqlite_url)]  # type: ignore[type-arg]
    if not args.skip_pg:
        backends.append(("postgresql", pg_url))
    print(f"ledger posting: {args.entries:,} entries x 2 postings, 100 accounts")
    results: dict[str, float] = {}
    for name, url_of in backends:
        for batch in (10_000, 100, 1):
            sample = entries if batch > 1 else entries[: args.single]
            with url_of() as url:
                rate = post_rate(url, sample, batch)
            with url_of() as url:
                raw = raw_rate(url, sample, batch)
            results[f"{name}-{batch}"] = rate
            note = f" (first {len(sample):,} entries)" if batch == 1 else ""
            print(
                f"  {name:<10} batch {batch:>6,}: {rate:>10,.0f} entries/s   raw executemany "
                f"{raw:>10,.0f}/s   ratio {rate / raw:.2f}x{note}"
            )
    bean = beancount_rate(entries[: args.beancount])
    ours = results["sqlite-10000"]
    print(
        f"  beancount load+validate ({args.beancount:,} entries): {bean:,.0f} entries/s; "
        f"jointfund SQLite bulk is {ours / bean:.1f}x faster"
    )
    p50, p99, a50, a99, load = lookup_latency(args.lookup_entries, 2_000)
    print(
        f"  balance lookup at {args.lookup_entries:,} entries (SQLite, loaded at {load:,.0f}/s): "
        f"current p50 {p50:.3f} ms p99 {p99:.3f} ms; as-of-date p50 {a50:.3f} ms p99 {a99:.3f} ms"
    )


if __name__ == "__main__":
    main()
