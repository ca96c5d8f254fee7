"""Two processes approve the same proposals at once: each proposal executes exactly once."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from jointfund import store
from jointfund.fund import investments, proposals
from jointfund.governance import ProposalStatus
from jointfund.store import Database, open_database
from tests.operator import approve_as_seen

from .fund_board import AGREEMENT, cash, make_board

ROOT = Path(__file__).parents[2]
ROUNDS = 12


def _race(url: str, user_ids: list[int], ids: list[int]) -> list[dict[str, str]]:
    arg = ",".join(map(str, ids))
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.fund.fund_approver", url, str(uid), arg],
            cwd=ROOT,  # so `-m tests...` finds the test helpers the approver imports
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for uid in user_ids
    ]
    for proc in procs:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))
    return reports


def _race_on(url: str) -> None:
    db: Database = open_database(url)
    board = make_board(db, AGREEMENT)
    board.decide(
        "investment",
        {"investment_id": "velta", "name": "Velta", "amount": "100.00", "on": "2025-10-01"},
    )
    # A mark needs money in the investment.
    cash(board, "US", 100, date(2025, 9, 30), "W-0")
    investments.disburse(
        db, board.admin, "velta", amount_minor=50_00, on=date(2025, 10, 2), reference="W-1"
    )
    # Valuation marks take the agreement's rule for `other`: one manager of each partner. The
    # United States approves first; then two Ukrainian managers race, each able to complete it.
    ids = []
    for i in range(ROUNDS):
        payload = {"investment_id": "velta", "fair_value": f"{1000 + i}.00", "on": "2026-01-05"}
        pid = proposals.propose(db, board.admin, "valuation_mark", payload).id
        approve_as_seen(db, board.manager("US"), pid)
        ids.append(pid)
    reports = _race(url, [board.manager("UA", 0).id, board.manager("UA", 1).id], ids)
    with db.read() as conn:
        for pid in ids:
            outcomes = [r[str(pid)] for r in reports]
            assert outcomes.count("executed") == 1, outcomes
            other = next(o for o in outcomes if o != "executed")
            assert other == "approved" or "executed, not open" in other, other
            assert store.proposals.get_proposal(conn, pid).status is ProposalStatus.EXECUTED
            posted = conn.execute(
                text("SELECT COUNT(*) FROM entries WHERE key = :k"), {"k": f"proposal:{pid}"}
            ).scalar_one()
            assert posted == 1
            executions = conn.execute(
                text(
                    "SELECT COUNT(*) FROM audit_log WHERE action = 'proposals.execute' "
                    "AND target = :t"
                ),
                {"t": f"proposal:{pid}"},
            ).scalar_one()
            assert executions == 1
    db.dispose()


@pytest.mark.postgres
def test_concurrent_approvals_execute_once_on_postgresql(pg_url: str) -> None:
    _race_on(pg_url)


def test_concurrent_approvals_execute_once_on_sqlite(sqlite_url: str) -> None:
    _race_on(sqlite_url)
