"""One of the sixteen racers: withdraws from the guarded cash account and approves proposals.

Run as `python concurrency_worker.py URL WORKER TOKEN PROPOSALS TRIES`. Prints "ready", waits
for "go" on stdin, then interleaves TRIES withdrawals of 7 minor units (one entry each) with
approvals of proposals 1..PROPOSALS under TOKEN, retrying any serialisation failure or
deadlock, and prints one JSON report.
"""

from __future__ import annotations

import json
import sys
from datetime import date

from sqlalchemy.exc import DBAPIError

from jointfund.errors import GovernanceError, OverdraftError
from jointfund.fund.users import authenticate
from jointfund.ledger import Entry, Posting, chart
from jointfund.store import open_database
from jointfund.store.books import Books
from tests.operator import approve_as_seen

WITHDRAWAL = 7
RETRYABLE = ("40001", "40P01")


def withdrawal(key: str) -> Entry:
    """Pay 7 minor units of fund cash out as an operating expense."""
    return Entry(
        key=key,
        effective_date=date(2026, 1, 5),
        kind="expense",
        postings=(
            Posting(chart.operating_expenses(), WITHDRAWAL, "USD"),
            Posting(chart.cash("USD"), -WITHDRAWAL, "USD"),
        ),
        memo="concurrency test",
    )


def main(url: str, worker: int, token: str, proposals: int, tries: int) -> None:
    """Race, then report what was booked, refused, approved and retried."""
    db = open_database(url, migrate=False)
    books = Books(db)
    user = authenticate(db, token)
    report: dict[str, list[str] | int] = {
        "withdrawn": [],
        "refused": [],
        "approved": [],
        "executed": [],
        "already": [],
        "retries": 0,
    }
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        raise SystemExit("expected go")

    def attempt(action: object) -> object:
        while True:
            try:
                return action()  # type: ignore[operator]
            except DBAPIError as exc:
                code = getattr(exc.orig, "sqlstate", None)
                if code not in RETRYABLE:
                    raise
                report["retries"] = int(report["retries"]) + 1  # type: ignore[arg-type]

    for i in range(tries):
        key = f"w{worker:02d}-{i:03d}"
        try:
            attempt(lambda key=key: books.post(withdrawal(key)))
            report["withdrawn"].append(key)  # type: ignore[union-attr]
        except OverdraftError:
            report["refused"].append(key)  # type: ignore[union-attr]
        proposal = 1 + (i + worker) % proposals
        try:
            outcome = attempt(lambda p=proposal: approve_as_seen(db, user, p))
        except GovernanceError:
            report["already"].append(str(proposal))  # type: ignore[union-attr]
        else:
            report["approved"].append(str(proposal))  # type: ignore[union-attr]
            if outcome.executed:  # type: ignore[attr-defined]
                report["executed"].append(str(proposal))  # type: ignore[union-attr]
    print(json.dumps(report), flush=True)
    db.dispose()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
