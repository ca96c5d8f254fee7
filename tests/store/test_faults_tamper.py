"""Someone with write access to the database edits history behind the ledger's back.

Each test posts a few dozen entries, bypasses the append-only triggers (SQLite: drops them;
PostgreSQL: `session_replication_role = replica` as the superuser), edits rows directly and
checks that `verify` fails and that its first finding names the tampered entry or account.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, create_engine, inspect, text

from jointfund.ledger import GENESIS_HASH, Checkpoint, Entry, Posting, chain_hash, content_hash
from jointfund.store import Database
from jointfund.store.balances import balances_as_of
from jointfund.store.books import Books
from jointfund.store.journal import iter_journal
from jointfund.store.tables.ledger import APPEND_ONLY
from jointfund.store.triggers import append_only_ddl

from ..ledger.books_fixtures import books_with_chart, transfer

FIRST_DAY = date(2025, 9, 1)
THROUGH = date(2025, 9, 30)
HISTORY = 36


def _history() -> list[Entry]:
    """Deposits, fees, UAH royalties and three-way splits, one every other day from Sept 1."""
    out: list[Entry] = []
    for i in range(HISTORY):
        on, key = FIRST_DAY + timedelta(days=2 * i), f"h{i:02d}"
        if i % 4 == 0:
            out.append(transfer(key, on, "Assets:Cash:USD", "Equity:Capital:US", 1000 + i))
        elif i % 4 == 1:
            out.append(transfer(key, on, "Expenses:Fees", "Assets:Cash:USD", 10 + i))
        elif i % 4 == 2:
            out.append(transfer(key, on, "Assets:Cash:UAH", "Income:Royalty:UAH", 5000 + i, "UAH"))
        else:
            split = (
                Posting("Assets:Cash:USD", 100 + i, "USD"),
                Posting("Equity:Capital:US", -60, "USD"),
                Posting("Equity:Capital:UA", -(40 + i), "USD"),
            )
            out.append(Entry(key, on, "split", split, memo=f"split {i}", links=(f"src-{i}",)))
    return out


@dataclass(frozen=True)
class Posted:
    """Books with history posted, the checkpoint a partner kept, and each entry's key by seq."""

    books: Books
    url: str
    kept: Checkpoint
    key_at: dict[int, str]


@pytest.fixture
def posted(db: Database, db_url: str) -> Posted:
    books = books_with_chart(Books(db))
    history = _history()
    before = [e for e in history if e.effective_date <= THROUGH]
    after = history[len(before) :]
    results = books.post_many(before[:8]) + [books.post(e) for e in before[8:]]
    kept = Checkpoint.from_json(books.close(THROUGH).to_json())
    results += books.post_many(after[:10]) + [books.post(e) for e in after[10:]]
    assert books.verify().ok and books.verify(kept).ok
    return Posted(books, db_url, kept, {r.seq: r.key for r in results})


def _sqlite_trigger_names() -> list[str]:
    return [
        m.group(1)
        for ddl in append_only_ddl("sqlite", APPEND_ONLY)
        if (m := re.match(r"CREATE TRIGGER (\w+)", ddl))
    ]


@contextmanager
def tampering(url: str) -> Iterator[Connection]:
    """A raw connection on which UPDATE and DELETE of journal rows go through."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            guards: list[tuple[str, str]] = []
            if conn.dialect.name == "sqlite":
                # Dropped while editing and put back after: verify must catch the edit itself
                # (a dropped guard is a finding of its own, tested apart).
                guards = [
                    (str(table), str(sql))
                    for table, sql in conn.exec_driver_sql(
                        "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
                    )
                ]
                for (name,) in conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                ).all():
                    conn.exec_driver_sql(f"DROP TRIGGER {name}")
            else:
                conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            yield conn
            if guards:
                present = {
                    str(t)
                    for (t,) in conn.exec_driver_sql(
                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                    )
                }
                for table, sql in guards:
                    if table in present:  # a table the test dropped keeps no guard
                        conn.exec_driver_sql(sql)
    finally:
        engine.dispose()


def _sql(conn: Connection, statement: str, **params: Any) -> Any:
    return conn.execute(text(statement), params)


def _shift_posting(conn: Connection, seq: int, idx: int, delta: int) -> None:
    """Move a posting's amount by `delta` and hide it in the materialised totals too."""
    account_id = _sql(
        conn, "SELECT account_id FROM postings WHERE entry_seq = :s AND idx = :i", s=seq, i=idx
    ).scalar_one()
    _sql(
        conn,
        "UPDATE postings SET amount = amount + :d WHERE entry_seq = :s AND idx = :i",
        d=delta,
        s=seq,
        i=idx,
    )
    _sql(
        conn,
        "UPDATE balances SET amount = amount + :d WHERE account_id = :a",
        d=delta,
        a=account_id,
    )
    _sql(
        conn,
        "UPDATE day_totals SET amount = amount + :d WHERE account_id = :a "
        "AND day = (SELECT effective_date FROM entries WHERE seq = :s)",
        d=delta,
        a=account_id,
        s=seq,
    )


def _only_entry(posted: Posted, seq: int) -> None:
    """verify fails, and every finding (so also the first) is about entry `seq`."""
    report = posted.books.verify()
    assert not report.ok
    assert report.first_bad is not None
    assert (report.first_bad.seq, report.first_bad.key) == (seq, posted.key_at[seq])
    assert {(f.seq, f.key) for f in report.findings} == {(seq, posted.key_at[seq])}


def test_balanced_change_of_posting_amounts_is_caught_by_the_content_hash(posted: Posted) -> None:
    seq = 5  # h04: a two-posting deposit
    with tampering(posted.url) as conn:
        _shift_posting(conn, seq, 0, 500)
        _shift_posting(conn, seq, 1, -500)
    assert posted.books.entry(seq=seq).entry.postings[0].amount == 1004 + 500
    _only_entry(posted, seq)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("memo", "rewritten"),
        ("kind", "gift"),
        ("links", '["forged"]'),
        ("metadata", '{"n":1}'),
        ("booked_at", "2020-01-01T00:00:00.000000Z"),
    ],
)
def test_changed_entry_field_is_named(posted: Posted, column: str, value: str) -> None:
    seq = 12
    with tampering(posted.url) as conn:
        # The column name comes from this test's own parameters, never from input.
        _sql(conn, f"UPDATE entries SET {column} = :v WHERE seq = :s", v=value, s=seq)
    _only_entry(posted, seq)


def test_deleted_posting_is_named(posted: Posted) -> None:
    seq = 8  # h07: a three-posting split, still has two postings afterwards
    with tampering(posted.url) as conn:
        _sql(conn, "DELETE FROM postings WHERE entry_seq = :s AND idx = 2", s=seq)
    report = posted.books.verify()
    assert report.first_bad is not None
    assert (report.first_bad.seq, report.first_bad.key) == (seq, posted.key_at[seq])
    assert any(f.account == "Equity:Capital:UA" for f in report.findings)


def test_deleted_entry_and_its_postings_are_named_by_the_entry_after_the_gap(
    posted: Posted,
) -> None:
    seq = 20
    with tampering(posted.url) as conn:
        _sql(conn, "DELETE FROM postings WHERE entry_seq = :s", s=seq)
        _sql(conn, "DELETE FROM entries WHERE seq = :s", s=seq)
    report = posted.books.verify()
    assert report.first_bad is not None
    assert (report.first_bad.seq, report.first_bad.key) == (seq + 1, posted.key_at[seq + 1])
    assert f"#{seq}" in report.first_bad.what


def test_deleted_last_entry_is_caught_by_the_chain_head(posted: Posted) -> None:
    last = max(posted.key_at)
    with tampering(posted.url) as conn:
        _sql(conn, "DELETE FROM postings WHERE entry_seq = :s", s=last)
        _sql(conn, "DELETE FROM entries WHERE seq = :s", s=last)
    report = posted.books.verify()
    assert report.first_bad is not None
    assert f"#{last}" in report.first_bad.what


def test_entry_row_deleted_under_its_postings_is_named(posted: Posted) -> None:
    seq = 17
    with tampering(posted.url) as conn:
        _sql(conn, "DELETE FROM entries WHERE seq = :s", s=seq)
    report = posted.books.verify()
    assert report.first_bad is not None
    assert report.first_bad.seq == seq


def test_swapped_entries_are_named(posted: Posted) -> None:
    first, second = 10, 11
    with tampering(posted.url) as conn:
        for table, column in (("entries", "seq"), ("postings", "entry_seq")):
            # Through a free value: unique keys are checked row by row on both backends.
            for old, new in ((first, -1), (second, first), (-1, second)):
                move = f"UPDATE {table} SET {column} = :n WHERE {column} = :o"
                _sql(conn, move, n=new, o=old)
    report = posted.books.verify()
    assert report.first_bad is not None
    # Position `first` now holds the entry that was booked second.
    assert (report.first_bad.seq, report.first_bad.key) == (first, posted.key_at[second])


@pytest.mark.parametrize("table", ["balances", "day_totals"])
def test_changed_materialised_total_names_the_account(posted: Posted, table: str) -> None:
    with tampering(posted.url) as conn:
        _sql(
            conn,
            f"UPDATE {table} SET amount = amount + 1 "
            "WHERE account_id = (SELECT id FROM accounts WHERE name = 'Assets:Cash:UAH')",
        )
    report = posted.books.verify()
    assert report.first_bad is not None
    assert (report.first_bad.seq, report.first_bad.account) == (None, "Assets:Cash:UAH")
    assert {f.account for f in report.findings} == {"Assets:Cash:UAH"}


def test_rewired_reversal_link_is_named(posted: Posted) -> None:
    books = posted.books
    done = books.reverse("h04", new_key="h04-rev", on=date(2025, 12, 31))
    assert books.verify().ok
    with tampering(posted.url) as conn:
        _sql(conn, "UPDATE entries SET reverses_seq = NULL WHERE seq = :s", s=done.seq)
    report = books.verify()
    assert report.first_bad is not None, "a reversal unlinked from its original went unnoticed"
    assert (report.first_bad.seq, report.first_bad.key) == (done.seq, "h04-rev")


def _recompute_everything(conn: Connection) -> None:
    """What a careful attacker does after editing history: make every derived value agree."""
    has_content_column = any(
        c["name"] == "content_hash" for c in inspect(conn).get_columns("entries")
    )
    prev, hash_at = GENESIS_HASH, {}
    for page in iter_journal(conn):
        for stored in page.entries:
            content = content_hash(stored.entry)
            chained = chain_hash(prev, stored.seq, stored.booked_at, content)
            extra = ", content_hash = :c" if has_content_column else ""
            _sql(
                conn,
                f"UPDATE entries SET prev_hash = :p, hash = :h{extra} WHERE seq = :s",
                p=prev,
                h=chained,
                c=content,
                s=stored.seq,
            )
            prev = hash_at[stored.seq] = chained
    _sql(conn, "UPDATE ledger_head SET last_hash = :h", h=prev)
    _sql(conn, "DELETE FROM balances")
    _sql(
        conn,
        "INSERT INTO balances (account_id, amount) "
        "SELECT account_id, SUM(amount) FROM postings GROUP BY account_id",
    )
    _sql(conn, "DELETE FROM day_totals")
    _sql(
        conn,
        "INSERT INTO day_totals (account_id, day, amount) "
        "SELECT p.account_id, e.effective_date, SUM(p.amount) FROM postings p "
        "JOIN entries e ON e.seq = p.entry_seq GROUP BY p.account_id, e.effective_date",
    )
    for row in _sql(conn, "SELECT id, checkpoint FROM period_closes").all():
        old = Checkpoint.from_json(row.checkpoint)
        nested: dict[str, dict[str, int]] = {}
        for b in balances_as_of(conn, old.through):
            nested.setdefault(b.account, {})[b.currency] = b.amount
        forged = replace(old, last_hash=hash_at[old.last_seq], balances=nested)
        _sql(
            conn,
            "UPDATE period_closes SET last_hash = :h, checkpoint = :c WHERE id = :i",
            h=forged.last_hash,
            c=forged.to_json(),
            i=row.id,
        )
    if inspect(conn).has_table("row_chain"):
        # The closes just rewritten are chained rows: relink the row chain over them too.
        from .test_row_chain import forge_row_chain

        forge_row_chain(conn)


def test_consistent_rewrite_of_early_history_is_caught_only_by_a_kept_checkpoint(
    posted: Posted,
) -> None:
    books, kept = posted.books, posted.kept
    seq = 1  # h00: the first deposit, inside the closed period
    with tampering(posted.url) as conn:
        _sql(
            conn,
            "UPDATE postings SET amount = amount + 777 WHERE entry_seq = :s AND idx = 0",
            s=seq,
        )
        _sql(
            conn,
            "UPDATE postings SET amount = amount - 777 WHERE entry_seq = :s AND idx = 1",
            s=seq,
        )
        _sql(conn, "UPDATE entries SET memo = 'rewritten' WHERE seq = :s", s=seq)
        _recompute_everything(conn)

    assert books.entry(seq=seq).entry.memo == "rewritten"
    plain = books.verify()
    assert plain.ok, plain.findings
    assert books.verify(books.checkpoints()[-1]).ok, "the stored checkpoint was forged too"

    report = books.verify(kept)
    assert not report.ok
    assert report.first_bad is not None
    assert (report.first_bad.seq, report.first_bad.key) == (
        kept.last_seq,
        posted.key_at[kept.last_seq],
    )
    moved = {f.account for f in report.findings if f.account is not None}
    assert moved == {"Assets:Cash:USD", "Equity:Capital:US"}


def test_posting_added_to_an_entry_for_an_unknown_account_is_named(posted: Posted) -> None:
    # No foreign key stops this insert: the hashed content (which names the account) does.
    seq = 5
    with tampering(posted.url) as conn:
        _sql(
            conn,
            "INSERT INTO postings (entry_seq, idx, account_id, amount, currency) "
            "VALUES (:s, 9, 9999, 0, 'USD')",
            s=seq,
        )
    _only_entry(posted, seq)


def test_posting_for_an_entry_that_does_not_exist_is_named(posted: Posted) -> None:
    ghost = max(posted.key_at) + 100
    with tampering(posted.url) as conn:
        _sql(
            conn,
            "INSERT INTO postings (entry_seq, idx, account_id, amount, currency) "
            "VALUES (:s, 0, 1, 500, 'USD')",
            s=ghost,
        )
    report = posted.books.verify()
    assert not report.ok
    assert any(f.seq == ghost and "missing entry" in f.what for f in report.findings)
