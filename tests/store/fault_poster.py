"""A separate process that posts to the books so fault tests can kill it or race it.

Run as a script: `python fault_poster.py MODE URL ...`. Every mode opens the ledger at URL,
opens the fault chart, prints "ready" and flushes. Modes:

    batch URL PREFIX COUNT        post `crash_batch(PREFIX, COUNT)` in one `post_many`;
                                  prints "writing" when its transaction first reads
                                  the chain head (hashing is done, writing starts)
    withdraw URL WORKER TRIES PAUSE
                                  after a "go" line on stdin, try TRIES withdrawals of 7
                                  (odd workers also deposit 3 every fourth try), one entry
                                  per transaction, resting PAUSE seconds after each; prints
                                  a JSON report of what was booked
    same-key URL PREFIX COUNT     after "go", post the shared entries PREFIX-0..COUNT-1;
                                  prints a JSON list of [key, created, seq]

The module holds only the entry builders besides, so tests import it to rebuild the same
entries the process posted.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date, timedelta
from typing import Any

from sqlalchemy import event

from jointfund.errors import OverdraftError
from jointfund.ledger import Account, Entry, Posting
from jointfund.store import open_database
from jointfund.store.books import Books

OPEN = date(2025, 1, 1)
CASH = "Assets:Cash:USD"
CAPITAL_US = "Equity:Capital:US"
CAPITAL_UA = "Equity:Capital:UA"
FEES = "Expenses:Fees"
FAULT_CHART = (
    Account(CASH, "USD", OPEN, non_negative=True),
    Account(CAPITAL_US, "USD", OPEN, partner="US"),
    Account(CAPITAL_UA, "USD", OPEN, partner="UA"),
    Account(FEES, "USD", OPEN),
)
WITHDRAWAL = 7
DEPOSIT = 3
DEPOSIT_EVERY = 4


def move(key: str, on: date, debit: str, credit: str, units: int) -> Entry:
    """A two-posting USD entry moving `units` from `credit` to `debit`."""
    return Entry(
        key=key,
        effective_date=on,
        kind="transfer",
        postings=(Posting(debit, units, "USD"), Posting(credit, -units, "USD")),
        memo=f"fault test {key}",
        metadata={"units": units},
    )


def crash_batch(prefix: str, count: int) -> list[Entry]:
    """A large batch spread over a year: mostly deposits, every fourth entry a small fee."""
    batch = []
    for i in range(count):
        on = OPEN + timedelta(days=i % 365)
        if i % 4 == 3:
            batch.append(move(f"{prefix}{i:06d}", on, FEES, CASH, i % 13 + 1))
        else:
            batch.append(move(f"{prefix}{i:06d}", on, CASH, CAPITAL_US, i % 97 + 1))
    return batch


def withdrawal(key: str) -> Entry:
    """Take 7 units out of the guarded cash account."""
    return move(key, date(2025, 6, 2), FEES, CASH, WITHDRAWAL)


def deposit(key: str) -> Entry:
    """Put 3 units into the guarded cash account."""
    return move(key, date(2025, 6, 2), CASH, CAPITAL_UA, DEPOSIT)


def shared_entry(key: str) -> Entry:
    """The entry both racers of the same-key test post under `key`."""
    return move(key, date(2025, 6, 3), CASH, CAPITAL_US, 11)


def _say(line: str) -> None:
    print(line, flush=True)


def _await_go() -> None:
    if sys.stdin.readline().strip() != "go":
        raise SystemExit("expected 'go' on stdin")


def _open(url: str) -> Books:
    books = Books(open_database(url))
    for account in FAULT_CHART:
        books.open_account(account)
    return books


def _batch(books: Books, prefix: str, count: int) -> None:
    announced = False

    def on_execute(*args: Any) -> None:
        nonlocal announced
        # The batch's transaction reaches the chain head once the entries are hashed and
        # checked; from there until commit the books are being written.
        if not announced and "ledger_head" in str(args[2]).lower():
            announced = True
            _say("writing")

    event.listen(books.db.write_engine, "before_cursor_execute", on_execute)
    entries = crash_batch(prefix, count)
    _say("ready")
    books.post_many(entries)
    _say("done")


def _withdraw(books: Books, worker: int, tries: int, pause: float) -> None:
    withdrawn: list[str] = []
    deposited: list[str] = []
    refused: list[str] = []
    _say("ready")
    _await_go()
    for i in range(tries):
        if worker % 2 == 1 and i % DEPOSIT_EVERY == 0:
            key = f"w{worker}-in-{i:03d}"
            books.post(deposit(key))
            deposited.append(key)
        key = f"w{worker}-out-{i:03d}"
        try:
            books.post(withdrawal(key))
        except OverdraftError:
            refused.append(key)
        else:
            withdrawn.append(key)
        time.sleep(pause)
    _say(json.dumps({"withdrawn": withdrawn, "deposited": deposited, "refused": refused}))


def _same_key(books: Books, prefix: str, count: int) -> None:
    _say("ready")
    _await_go()
    results = [books.post(shared_entry(f"{prefix}{i:03d}")) for i in range(count)]
    _say(json.dumps([[r.key, r.created, r.seq] for r in results]))


def main(argv: list[str]) -> None:
    """Dispatch on the mode named first on the command line."""
    mode, url, *rest = argv
    books = _open(url)
    if mode == "batch":
        _batch(books, rest[0], int(rest[1]))
    elif mode == "withdraw":
        _withdraw(books, int(rest[0]), int(rest[1]), float(rest[2]))
    elif mode == "same-key":
        _same_key(books, rest[0], int(rest[1]))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    books.db.dispose()


if __name__ == "__main__":
    main(sys.argv[1:])
