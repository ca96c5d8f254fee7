"""Sixteen processes race on the same guarded cash account and the same proposals (PostgreSQL).

No overdraft, no lost update (cash = start − 7 × withdrawals booked), every serialisation or
deadlock error retried to success, each proposal executed exactly once, `verify` green.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from jointfund.fund.filings import import_filings
from jointfund.fund.proposals import propose
from jointfund.ledger import chart
from jointfund.store import open_database
from jointfund.store.books import Books
from tests.operator import operator, recommend_as_committee

from .concurrency_worker import WITHDRAWAL
from .crash_fund import (
    MANAGERS,
    NEW_LICENCE,
    SOAK,
    Filing,
    build_crash_fund,
    generate_filings,
    write_filings,
)

WORKERS = 16
PROPOSALS = 6
TRIES = 120 if SOAK else 30
ROOT = Path(__file__).parents[2]


@pytest.mark.postgres
def test_sixteen_racers_keep_every_invariant(pg_url: str, tmp_path: Path) -> None:
    db = open_database(pg_url)
    fund = build_crash_fund(db, tmp_path)
    # Cash for half the withdrawals tried, so the guard has to refuse the rest.
    filings = [Filing(NEW_LICENCE, 8, 2 * WITHDRAWAL * WORKERS * TRIES // 2, "C16-1")]
    import_filings(db, operator(db), write_filings(tmp_path / "c16.csv", filings))
    start = sum(f.fund_minor() for f in filings)
    books = Books(db)
    for n in range(PROPOSALS):
        payload = {
            "investment_id": f"race-{n}",
            "name": f"race {n}",
            "amount": "1.00",
            "currency": "USD",
            "on": "2026-10-01",
        }
        made = propose(db, fund.admin, "investment", payload)
        recommend_as_committee(db, made.id)  # the Investment Committee, before the race
    procs = []
    for worker in range(WORKERS):
        name = MANAGERS[worker % len(MANAGERS)][0]
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.reliability.concurrency_worker",
                    pg_url,
                    str(worker),
                    fund.tokens[name],
                    str(PROPOSALS),
                    str(TRIES),
                ],
                cwd=ROOT,  # so `-m tests...` finds the test helpers the worker imports
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    for proc in procs:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))

    withdrawn = [k for r in reports for k in r["withdrawn"]]
    executed = [p for r in reports for p in r["executed"]]
    retries = sum(r["retries"] for r in reports)
    assert len(withdrawn) == len(set(withdrawn))
    cash = books.balance(chart.cash("USD"))
    assert cash == start - WITHDRAWAL * len(withdrawn), "a withdrawal was lost or doubled"
    assert cash >= 0
    assert cash < WITHDRAWAL, "withdrawals were refused while cash remained"
    assert sorted(executed) == sorted(str(n) for n in range(1, PROPOSALS + 1))
    with db.read() as conn:
        held = conn.execute(text("SELECT proposal_id, COUNT(*) FROM investments GROUP BY 1")).all()
        doubled = conn.execute(
            text(
                "SELECT COUNT(*) FROM (SELECT proposal_id, user_id, payload_hash FROM approvals "
                "GROUP BY 1, 2, 3 HAVING COUNT(*) > 1) d"
            )
        ).scalar_one()
    assert sorted(held) == [(n, 1) for n in range(1, PROPOSALS + 1)]
    assert doubled == 0
    report = books.verify()
    assert report.ok, report.findings[:5]
    refused = sum(len(r["refused"]) for r in reports)
    print(
        f"\n16 racers: {len(withdrawn)} withdrawals booked, {refused} refused by the guard, "
        f"{len(executed)} proposals executed once, {retries} serialisation/deadlock retries"
    )
    db.dispose()


@pytest.mark.postgres
def test_two_concurrent_imports_of_one_file_both_succeed(pg_url: str, tmp_path: Path) -> None:
    db = open_database(pg_url)
    build_crash_fund(db, tmp_path)
    failures: list[str] = []
    for round_ in range(5):
        path = write_filings(
            tmp_path / f"same-{round_}.csv",
            generate_filings(random.Random(round_), f"SAME{round_}", 400),
        )
        barrier = threading.Barrier(2)

        def importer(path: Path = path, barrier: threading.Barrier = barrier) -> None:
            mine = open_database(pg_url, migrate=False)
            barrier.wait()
            try:
                import_filings(mine, operator(mine), path)
            except Exception as exc:  # any failure of a retry-safe import counts
                failures.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
            finally:
                mine.dispose()

        threads = [threading.Thread(target=importer) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert Books(db).verify().ok
    db.dispose()
    assert failures == [], f"concurrent imports of one file failed: {failures}"
