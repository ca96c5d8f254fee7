"""`verify` as the books grow: the full verify against a verify from the newest checkpoint.

Builds the example fund on a SQLite file, grows it by a registry's history through the bulk
paths (the licences, FX rates and monthly filings of `benchmarks/scale.py`, plus ledger
entries), closes the books, then imports one more month of filings. Times, in the same run:

- the full verify in one process (the baseline: every entry, posting and chained row), with
  its rate in chained rows per second, and the same with the journal replayed by one worker
  process per core (as `jointfund verify` runs it);
- the verify from the close's checkpoint (`verify --checkpoint FILE --since`), which proves
  what precedes the checkpoint by its hashes and replays only the month that followed.

    .venv/bin/python benchmarks/verify_since.py --licences 1000 --months 100 --entries 100000
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from jointfund.fund import books as fund_books
from jointfund.fund.demo import build_demo
from jointfund.fund.filings import import_filings
from jointfund.fund.licences import import_licences
from jointfund.fund.rates import import_fx_rates
from jointfund.fund.users import authenticate
from jointfund.store import open_database
from jointfund.store.books import Books
from jointfund.store.row_chain import PROTECTED
from jointfund.store.tables.ledger import metadata
from jointfund.store.verification import verify_books
from scale import BENCH_ACCOUNTS, ledger_entries, write_filings, write_registry


def month_end(index: int) -> date:
    """The last day of the receipt month of history month `index` (month 0 is 2016-11)."""
    year, m = 2016 + (10 + index + 1) // 12, (10 + index + 1) % 12 + 1
    first_after = date(year + (m == 12), m % 12 + 1, 1)
    return first_after - timedelta(days=1)


def best_of(runs: int, work: object) -> float:
    """The fastest of `runs` timings of `work()` (seconds)."""
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        work()  # type: ignore[operator]
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--licences", type=int, default=1_000)
    parser.add_argument(
        "--months", type=int, default=100, help="months of history before the close"
    )
    parser.add_argument("--entries", type=int, default=100_000, help="extra ledger entries")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = open_database(f"sqlite:///{folder / 'fund.db'}")
        tokens = {x.name: x.token for x in build_demo(db).logins}
        admin = authenticate(db, tokens["administrator"])
        auditor = authenticate(db, tokens["auditor"])
        lic, fx = write_registry(folder, args.licences)
        import_licences(db, admin, lic)
        import_fx_rates(db, admin, fx)
        history = args.licences * args.months
        path = folder / "filings.csv"
        for start in range(0, history, 250_000):
            write_filings(path, start, min(250_000, history - start), args.licences)
            import_filings(db, admin, path)
        books = Books(db)
        for account in BENCH_ACCOUNTS:
            books.open_account(account)
        for start in range(0, args.entries, 10_000):
            books.post_many(ledger_entries(start, min(10_000, args.entries - start)))
        through = month_end(args.months - 1)
        kept = books.close(through)
        write_filings(path, history, args.licences, args.licences)  # the month after the close
        import_filings(db, admin, path)
        with db.read() as tx:
            counts = {
                name: int(
                    tx.execute(select(func.count()).select_from(metadata.tables[name])).scalar()
                    or 0
                )
                for name in ("entries", "postings", *PROTECTED)
            }
        chained = sum(counts.values())

        def one_process() -> None:
            with db.read() as tx:
                assert verify_books(tx).ok

        alone = best_of(args.runs, one_process)
        full = best_of(args.runs, lambda: fund_books.verify(db, auditor))
        since = best_of(args.runs, lambda: fund_books.verify(db, auditor, kept, since=True))
        assert fund_books.verify(db, auditor, kept, since=True).ok
        db.dispose()
    load = os.getloadavg()
    print(
        f"verify, SQLite, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"load average {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f}"
    )
    print(
        f"books: {counts['filings']:,} filings ({args.licences:,} licences x {args.months} months "
        f"+ 1 month after the close through {through}), {counts['entries']:,} entries, "
        f"{counts['postings']:,} postings; {chained:,} chained rows in all"
    )
    print(
        f"full verify, one process (baseline) {alone:8.2f} s {chained / alone:12,.0f} chained rows/s"
    )
    print(
        f"full verify, {min(os.cpu_count() or 1, 4)} workers        {full:8.2f} s "
        f"{chained / full:12,.0f} chained rows/s  {alone / full:.2f}x"
    )
    print(
        f"verify since the checkpoint       {since:8.2f} s {alone / since:12,.1f}x faster "
        f"({args.licences:,} filings after it)"
    )


if __name__ == "__main__":
    main()
