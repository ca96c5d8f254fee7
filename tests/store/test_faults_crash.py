"""A writer SIGKILLed in the middle of a large batch leaves all of it or none, on both backends."""

from __future__ import annotations

import random
import signal
import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import text

from jointfund.ledger import Entry
from jointfund.store import Database, open_database
from jointfund.store.books import Books

from .fault_poster import FAULT_CHART, crash_batch
from .fault_process import PosterProcess

COUNT = 5_000
SEEDS = (0, 1, 2)
MAX_DELAY = 0.4
MID_YEAR = date(2025, 6, 30)


def _keys(db: Database, prefix: str) -> list[str]:
    with db.read() as conn:
        rows = conn.execute(text("SELECT key FROM entries WHERE key LIKE :p"), {"p": prefix + "%"})
        return sorted(rows.scalars())


def _totals(batches: Iterable[list[Entry]], through: date | None = None) -> dict[str, int]:
    sums: dict[str, int] = defaultdict(int)
    for batch in batches:
        for entry in batch:
            if through is None or entry.effective_date <= through:
                for posting in entry.postings:
                    sums[posting.account] += posting.amount
    return dict(sums)


def _write_window(url: str, prefix: str) -> float:
    """Run the poster to the end; seconds from reaching the chain head to its commit."""
    poster = PosterProcess("batch", url, prefix, str(COUNT))
    poster.expect("done")
    assert poster.finish() == 0, poster.stderr
    return poster.seen_at["done"] - poster.seen_at["writing"]


def _kill_while_writing(url: str, prefix: str, delay: float) -> tuple[int, list[str]]:
    """Start the poster, SIGKILL it `delay` seconds after its transaction reached the chain head."""
    poster = PosterProcess("batch", url, prefix, str(COUNT))
    poster.expect("ready")
    # Hashing the batch takes the first ~15-30 % after "ready"; a kill there would say
    # nothing about the database, so the delay counts from the start of the database work.
    poster.expect("writing")
    time.sleep(delay)
    return poster.kill(), poster.lines


def test_sigkill_mid_batch_leaves_all_or_nothing_and_the_batch_can_be_posted_again(
    db_url: str,
) -> None:
    setup = Books(open_database(db_url))
    for account in FAULT_CHART:
        setup.open_account(account)
    setup.db.dispose()
    # Calibrate on a batch left to finish, so the kills below land inside the writes.
    window = _write_window(db_url, "whole-")
    posted: list[list[Entry]] = [crash_batch("whole-", COUNT)]
    delays = [random.Random(s).uniform(0, min(MAX_DELAY, 0.9 * window)) for s in SEEDS]
    codes: list[int] = []
    for seed, delay in zip(SEEDS, delays, strict=True):
        prefix = f"crash{seed}-"
        batch = crash_batch(prefix, COUNT)
        code, lines = _kill_while_writing(db_url, prefix, delay)
        codes.append(code)
        assert code in (-signal.SIGKILL, 0), f"poster ended with {code}: {lines}"

        books = Books(open_database(db_url))
        found = _keys(books.db, prefix)
        assert len(found) in (0, COUNT), f"seed {seed}: {len(found)} of {COUNT} entries survived"
        if "done" in lines:
            assert len(found) == COUNT
        report = books.verify()
        assert report.ok, report.findings[:3]
        assert report.entries == COUNT * len(posted) + len(found)

        again = books.post_many(batch)
        assert [r.created for r in again] == [not found] * COUNT
        posted.append(batch)
        assert _keys(books.db, prefix) == sorted(e.key for e in batch)
        balances = {r.account: r.amount for r in books.balances()}
        assert balances == _totals(posted)
        mid_year = {r.account: r.amount for r in books.balances(MID_YEAR)}
        assert mid_year == _totals(posted, MID_YEAR)

        third = books.post_many(batch)
        assert not any(r.created for r in third)
        assert [(r.seq, r.hash) for r in third] == [(r.seq, r.hash) for r in again]
        assert {r.account: r.amount for r in books.balances()} == balances
        books.db.dispose()

    assert -signal.SIGKILL in codes, (
        f"no kill landed inside the batch (write window {window:.3f}s, "
        f"delays {delays}, exit codes {codes})"
    )
    final = Books(open_database(db_url))
    report = final.verify()
    assert report.ok, report.findings[:3]
    assert report.entries == COUNT * len(posted)
    final.db.dispose()
