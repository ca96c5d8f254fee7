"""SIGKILL real `jointfund` processes at seeded random moments, retry, and check nothing tore.

Commands run as children forked from a zygote that imported the CLI once (the same `main` the
console script calls), plus a few starts of the installed console script itself. After every
kill: a filings file is booked wholly or not at all; the retry books the rest exactly once; a
forecast run directory is absent or loadable. At the end `verify` is green and the balances
equal the model computed from the generated inputs. `JOINTFUND_SOAK=1` kills ten times more.
"""

from __future__ import annotations

import os
import random
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from jointfund.errors import InputError
from jointfund.forecast import load_run
from jointfund.fund.proposals import propose
from jointfund.ledger import chart
from jointfund.store import Database, open_database
from jointfund.store.books import Books
from tests.operator import recommend_as_committee

from ..conftest import pg_admin_url
from .crash_driver import (
    Probe,
    Settle,
    Zygote,
    console_script,
    pg_probe,
    pg_settle,
    run_script_killed,
    sqlite_probe,
)
from .crash_fund import SOAK, Filing, build_crash_fund, generate_filings, write_filings

SEED = int(os.environ.get("JOINTFUND_CRASH_SEED", "20250430"))
FILING_KILLS = 1000 if SOAK else 100
SCRIPT_KILLS = 10 if SOAK else 2
PROPOSALS = 50 if SOAK else 8
FORECAST_KILLS = 100 if SOAK else 12
MIN_KILLS = 1000 if SOAK else 100
MAX_TOP_UP = 300
SIGKILL_EXIT = -9


@pytest.fixture
def zygote() -> Iterator[Zygote]:
    running = Zygote()
    yield running
    running.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Probe, Settle]:
    if request.param == "sqlite":
        path = tmp_path / "crash.db"
        # A dead process's SQLite locks die with it: nothing to wait for.
        return f"sqlite:///{path}", sqlite_probe(path), lambda: None
    url = str(request.getfixturevalue("pg_url"))
    app = f"jfcrash_{os.getpid()}_{int(time.monotonic() * 1000) % 10**8}"
    settle = pg_settle(pg_admin_url(), app)
    # The children's connections carry `app`; the test's own connection is told apart by name.
    return f"{url}&application_name={app}", pg_probe(pg_admin_url(), app), settle


@pytest.fixture
def own_db(target: tuple[str, Probe, Settle]) -> Iterator[Database]:
    """The test's own connection to the books, named apart from the children's."""
    url = target[0] + ("_own" if "application_name=" in target[0] else "")
    db = open_database(url)
    yield db
    db.dispose()


def _count(db: Database, sql: str, **params: object) -> int:
    with db.read() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def _booked(db: Database, prefix: str) -> int:
    return _count(db, "SELECT COUNT(*) FROM filings WHERE payer_reference LIKE :p", p=prefix + "-%")


def test_killed_imports_and_approvals_leave_whole_books(
    target: tuple[str, Probe, Settle], own_db: Database, tmp_path: Path, zygote: Zygote
) -> None:
    url, probe, settle = target
    rng = random.Random(SEED)
    db = own_db
    fund = build_crash_fund(db, tmp_path)
    booked: list[Filing] = []
    kills = mid_write = 0

    # Calibrate: how long one import takes unkilled, so kill points spread over its life.
    first = generate_filings(rng, "CAL", 300)
    started = time.monotonic()
    calibration = str(write_filings(tmp_path / "cal.csv", first))
    code, _ = zygote.run(
        ["filings", "import", calibration, "--db", url, "--token", fund.admin_token]
    )
    span = time.monotonic() - started
    assert code == 0
    booked += first

    def import_cycle(prefix: str, mode: str) -> None:
        """One import of a fresh file, killed at a point chosen by `mode`, checked, retried."""
        nonlocal kills, mid_write
        filings = generate_filings(rng, prefix, rng.randint(50, 400))
        path = write_filings(tmp_path / f"{prefix}.csv", filings)
        argv = [
            "filings",
            "import",
            str(path),
            "--db",
            url,
            "--token",
            fund.admin_token,
        ]
        delay = rng.uniform(0, 0.9 * span * len(filings) / 300)
        if mode == "aimed":
            # Wait until a write transaction is open, then kill within 20 ms.
            code, mid = zygote.run(argv, kill_after=rng.uniform(0, 0.02), probe=probe, until=probe)
        elif mode == "timed":
            code, mid = zygote.run(argv, kill_after=delay, probe=probe)
        else:
            code, mid = run_script_killed(argv, delay + 1.8, probe)
        kills += code == SIGKILL_EXIT
        mid_write += mid and code == SIGKILL_EXIT
        settle()
        assert _booked(db, prefix) in (0, len(filings)), f"seed {SEED} {prefix}: torn import"
        if zygote.run(argv)[0] != 0:
            again = subprocess.run([console_script(), *argv], capture_output=True, text=True)
            raise AssertionError(
                f"seed {SEED} {prefix}: retry after a kill failed; run once more it "
                f"exits {again.returncode}: {again.stdout[-800:]} {again.stderr[-2000:]}"
            )
        assert _booked(db, prefix) == len(filings)
        booked.extend(filings)

    for cycle in range(FILING_KILLS + SCRIPT_KILLS):
        # Half the kill points are timed over the import's life, half aimed at an open write.
        mode = "script" if cycle >= FILING_KILLS else ("aimed" if cycle % 2 else "timed")
        import_cycle(f"K{cycle:04d}", mode)

    approval_kills = 0
    for number in range(PROPOSALS):
        proposal = propose(
            db,
            fund.admin,
            "investment",
            {
                "investment_id": f"crash-{number}",
                "name": f"crash test holding {number}",
                "amount": "1.00",
                "currency": "USD",
                "on": "2026-10-01",
            },
        )
        recommend_as_committee(db, proposal.id)  # the Investment Committee first
        order = list(fund.tokens)
        rng.shuffle(order)
        for name in order:
            argv = ["approve", str(proposal.id), "--payload-hash", proposal.payload_hash]
            argv += ["--token", fund.tokens[name], "--db", url]
            code, mid = zygote.run(argv, kill_after=rng.uniform(0, 0.12), probe=probe)
            approval_kills += code == SIGKILL_EXIT
            mid_write += mid and code == SIGKILL_EXIT
            settle()
            zygote.run(argv)  # the retry: a second vote by the same manager is refused
            votes = _count(
                db,
                "SELECT COUNT(*) FROM approvals WHERE proposal_id = :p AND user_id = :u",
                p=proposal.id,
                u=fund.managers[name].id,
            )
            assert votes == 1, f"seed {SEED}: proposal {proposal.id} {name} has {votes} votes"
        status = _count(
            db,
            "SELECT COUNT(*) FROM proposals WHERE id = :p AND status = 'executed'",
            p=proposal.id,
        )
        held = _count(db, "SELECT COUNT(*) FROM investments WHERE proposal_id = :p", p=proposal.id)
        assert (status, held) == (1, 1), f"seed {SEED}: proposal {proposal.id} executed {held}x"

    # How many kill points land depends on the machine's speed; top up with aimed kills so
    # every run meets the floor, whatever the load.
    extra = 0
    while kills + approval_kills < MIN_KILLS and extra < MAX_TOP_UP:
        import_cycle(f"T{extra:04d}", "aimed")
        extra += 1

    books = Books(db)
    report = books.verify()
    assert report.ok, report.findings[:5]
    fund_share = sum(f.fund_minor() for f in booked)
    assert _count(db, "SELECT COUNT(*) FROM filings") == len(booked)
    assert books.balance(chart.cash("USD")) == fund_share
    assert books.balance(chart.capital_contributions("UA")) == -fund_share
    total = kills + approval_kills
    print(
        f"\ncrash harness ({db.dialect}, seed {SEED}): {kills} import kills, "
        f"{approval_kills} approval kills, {mid_write} landed mid-write; "
        f"{len(booked)} filings, {PROPOSALS} proposals executed once, {extra} top-up kills"
    )
    assert total >= MIN_KILLS, f"only {total} kills landed after {extra} top-up attempts"


def test_killed_forecast_saves_leave_no_partial_run(tmp_path: Path, zygote: Zygote) -> None:
    rng = random.Random(SEED)
    partial: list[str] = []
    for cycle in range(FORECAST_KILLS):
        out = tmp_path / f"run-{cycle:03d}"
        argv = ["forecast", "run", "base", "--paths", "200", "--years", "10", "--out", str(out)]
        argv += ["--seed", str(cycle)]
        zygote.run(argv, kill_after=rng.uniform(0, 0.004), until=out.exists)
        if not out.exists():
            continue
        try:
            load_run(out)
        except InputError:
            partial.append(out.name)
    zygote.run(
        [
            "forecast",
            "run",
            "base",
            "--paths",
            "200",
            "--years",
            "10",
            "--seed",
            "0",  # seeded like the killed runs: what one seed saves, every run saves
            "--out",
            str(tmp_path / "whole"),
        ]
    )
    load_run(tmp_path / "whole")
    print(f"\nforecast saves: {FORECAST_KILLS} kills, {len(partial)} partial run directories")
    assert partial == [], f"seed {SEED}: partial run directories after kills: {partial}"
