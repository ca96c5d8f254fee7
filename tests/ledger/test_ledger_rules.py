"""The ledger's rules, the same on a SQLite file and on PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from jointfund.errors import (
    AccountStateError,
    ClosedPeriodError,
    ConflictError,
    InputError,
    NotFoundError,
    OutOfRangeError,
    OverdraftError,
    UnbalancedEntryError,
)
from jointfund.ledger import Account, Entry, Posting
from jointfund.store import Database
from jointfund.store.books import Books

from .books_fixtures import books_with_chart, transfer

D = date(2025, 9, 17)


@pytest.fixture
def books(db: Database) -> Books:
    return books_with_chart(Books(db))


def test_posting_moves_balances_and_keeps_the_books_balanced(books: Books) -> None:
    books.post(transfer("c1", D, "Assets:Cash:USD", "Equity:Capital:US", 7_500_000_000))
    books.post(transfer("c2", D, "Assets:Cash:USD", "Equity:Capital:UA", 25))
    got = {r.account: r.amount for r in books.balances()}
    assert got == {
        "Assets:Cash:USD": 7_500_000_025,
        "Equity:Capital:UA": -25,
        "Equity:Capital:US": -7_500_000_000,
    }
    assert sum(got.values()) == 0
    assert books.verify().ok


def test_same_key_same_content_returns_the_stored_entry(books: Books) -> None:
    entry = transfer("c1", D, "Assets:Cash:USD", "Equity:Capital:US", 100)
    first, again = books.post(entry), books.post(entry)
    assert first.created and not again.created
    assert (again.seq, again.hash) == (first.seq, first.hash)
    assert books.balance("Assets:Cash:USD") == 100


def test_same_key_other_content_is_a_conflict_and_changes_nothing(books: Books) -> None:
    books.post(transfer("c1", D, "Assets:Cash:USD", "Equity:Capital:US", 100))
    with pytest.raises(ConflictError, match="c1"):
        books.post(transfer("c1", D, "Assets:Cash:USD", "Equity:Capital:US", 101))
    assert books.balance("Assets:Cash:USD") == 100


def test_unbalanced_entry_is_refused(books: Books) -> None:
    bad = Entry(
        "u1",
        D,
        "transfer",
        (Posting("Assets:Cash:USD", 100, "USD"), Posting("Equity:Capital:US", -99, "USD")),
    )
    with pytest.raises(UnbalancedEntryError, match="sum to 1 minor units"):
        books.post(bad)
    assert books.balances() == []


def test_balance_is_per_currency(books: Books) -> None:
    mixed = Entry(
        "m1",
        D,
        "transfer",
        (Posting("Assets:Cash:USD", 100, "USD"), Posting("Income:Royalty:UAH", -100, "UAH")),
    )
    with pytest.raises(UnbalancedEntryError):
        books.post(mixed)


def test_batch_is_all_or_nothing(books: Books) -> None:
    good = transfer("g1", D, "Assets:Cash:USD", "Equity:Capital:US", 100)
    wrong_currency = transfer("b1", D, "Assets:Cash:UAH", "Income:Royalty:UAH", 5, "USD")
    with pytest.raises(AccountStateError, match="holds UAH, not USD"):
        books.post_many([good, wrong_currency])
    assert books.balances() == []
    assert books.journal() == []


def test_several_malformed_entries_are_reported_together(books: Books) -> None:
    one = Entry("x1", D, "t", (Posting("Assets:Cash:USD", 0, "USD"),))
    two = Entry(
        "", D, "t", (Posting("Assets:Cash:USD", 1, "USD"), Posting("Expenses:Fees", -1, "USD"))
    )
    with pytest.raises(InputError) as caught:
        books.post_many([one, two])
    rows = {(p.row, p.field) for p in caught.value.problems}
    assert (1, "postings[0].amount") in rows
    assert (2, "key") in rows


def _with(entry: Entry, **changes: object) -> Entry:
    from dataclasses import replace

    return replace(entry, **changes)  # type: ignore[arg-type]


_BEYOND_THE_BOUNDS: list[tuple[dict[str, object], str]] = [
    ({"memo": "paid\x00"}, "memo"),
    ({"memo": "m" * 4001}, "memo"),
    ({"kind": "transfer\x00"}, "kind"),
    ({"kind": "k" * 65}, "kind"),
    ({"metadata": {"note": "a\x00b"}}, "metadata.note"),
    ({"metadata": {"n": [2**64]}}, "metadata.n.0"),
    ({"links": ("ok", "bad\ud800")}, "links[1]"),
]


def test_text_the_books_cannot_hold_is_refused_before_anything_is_written(books: Books) -> None:
    """A well-balanced entry whose text or metadata breaks the bounds is refused, located, and
    the books stay as they were: stored, it would fail `verify` for good (the ledger is
    append-only) or, on PostgreSQL, fail in the driver."""
    good = transfer("g1", D, "Assets:Cash:USD", "Equity:Capital:US", 100)
    for changes, field in _BEYOND_THE_BOUNDS:
        bad = _with(transfer("b1", D, "Assets:Cash:USD", "Equity:Capital:US", 5), **changes)
        with pytest.raises(InputError) as caught:
            books.post_many([good, bad])
        assert (2, field) in {(p.row, p.field) for p in caught.value.problems}, changes
        assert books.journal() == [] and books.balances() == []
    assert books.verify().ok


@pytest.mark.parametrize(
    "changes",
    [{"metadata": {"gross_minor": 2**63}}, {"metadata": {"gross_minor": -(2**63) - 1}}],
)
def test_a_sum_no_total_could_hold_is_out_of_range_and_names_its_entry(
    books: Books, changes: dict[str, object]
) -> None:
    """An importer locates an OutOfRangeError at the row carrying the entry; a sum recorded
    in metadata beyond 64 bits is refused that way too (stored, it would fail verify)."""
    good = transfer("g1", D, "Assets:Cash:USD", "Equity:Capital:US", 100)
    bad = _with(transfer("b1", D, "Assets:Cash:USD", "Equity:Capital:US", 5), **changes)
    with pytest.raises(OutOfRangeError) as caught:
        books.post_many([good, bad])
    assert caught.value.key == "b1" and "9,223,372,036,854,775,807" in str(caught.value)
    assert books.journal() == [] and books.balances() == []


def test_a_posting_no_total_could_hold_is_out_of_range(books: Books) -> None:
    huge = Entry(
        "h1",
        D,
        "transfer",
        (Posting("Assets:Cash:USD", 2**63, "USD"), Posting("Equity:Capital:US", -(2**63), "USD")),
    )
    with pytest.raises(OutOfRangeError) as caught:
        books.post_many([huge])
    assert caught.value.key == "h1" and caught.value.account == "Assets:Cash:USD"
    assert books.journal() == [] and books.balances() == []


def test_unknown_and_closed_accounts_are_refused(books: Books) -> None:
    with pytest.raises(AccountStateError, match="no account Assets:Nowhere"):
        books.post(transfer("n1", D, "Assets:Nowhere", "Equity:Capital:US", 1))
    books.close_account("Expenses:Fees", date(2025, 6, 30))
    with pytest.raises(AccountStateError, match="not open on 2025-09-17"):
        books.post(transfer("n2", D, "Expenses:Fees", "Equity:Capital:US", 1))


def test_an_account_with_a_balance_cannot_be_closed(books: Books) -> None:
    books.post(transfer("c1", D, "Assets:Cash:USD", "Equity:Capital:US", 1))
    with pytest.raises(AccountStateError, match="must be zero"):
        books.close_account("Assets:Cash:USD", date(2025, 12, 31))


def test_reopening_an_account_with_other_attributes_is_a_conflict(books: Books) -> None:
    assert books.open_account(Account("Expenses:Fees", "USD", date(2025, 1, 1))) is False
    with pytest.raises(ConflictError):
        books.open_account(Account("Expenses:Fees", "EUR", date(2025, 1, 1)))


def test_non_negative_account_cannot_be_overdrawn(books: Books) -> None:
    books.post(transfer("in", D, "Assets:Cash:USD", "Equity:Capital:US", 100))
    with pytest.raises(OverdraftError, match="below zero"):
        books.post(transfer("out", D, "Expenses:Fees", "Assets:Cash:USD", 101))
    books.post(transfer("out2", D, "Expenses:Fees", "Assets:Cash:USD", 100))
    assert books.balance("Assets:Cash:USD") == 0


def test_overdraft_inside_a_batch_is_caught_in_order(books: Books) -> None:
    books.post(transfer("in", D, "Assets:Cash:USD", "Equity:Capital:US", 100))
    spend = transfer("out", D, "Expenses:Fees", "Assets:Cash:USD", 150)
    refill = transfer("in2", D, "Assets:Cash:USD", "Equity:Capital:US", 100)
    with pytest.raises(OverdraftError):
        books.post_many([spend, refill])
    books.post_many([refill, spend])
    assert books.balance("Assets:Cash:USD") == 50


def test_reversal_undoes_an_entry_once_and_links_it(books: Books) -> None:
    books.post(transfer("c1", D, "Assets:Cash:USD", "Equity:Capital:US", 100))
    done = books.reverse("c1", new_key="c1-rev", on=date(2025, 9, 18))
    stored = books.entry(key="c1-rev")
    assert stored.reverses_seq == 1 and stored.entry.links == ("c1",)
    assert books.balance("Assets:Cash:USD") == 0
    assert books.reverse("c1", new_key="c1-rev", on=date(2025, 9, 18)) == type(done)(
        done.seq, done.key, done.hash, created=False
    )
    with pytest.raises(ConflictError, match="already reversed"):
        books.reverse("c1", new_key="c1-rev2", on=date(2025, 9, 18))
    with pytest.raises(NotFoundError):
        books.reverse("nope", new_key="r", on=D)


def test_balances_as_of_any_date_and_subtree_totals(books: Books) -> None:
    books.post(transfer("a", date(2025, 9, 1), "Assets:Cash:USD", "Equity:Capital:US", 100))
    books.post(transfer("b", date(2025, 10, 1), "Assets:Cash:USD", "Equity:Capital:UA", 40))
    books.post(transfer("c", date(2025, 8, 1), "Assets:Cash:USD", "Equity:Capital:UA", 2))
    assert books.balance("Assets:Cash:USD", date(2025, 7, 31)) == 0
    assert books.balance("Assets:Cash:USD", date(2025, 8, 1)) == 2
    assert books.balance("Assets:Cash:USD", date(2025, 9, 30)) == 102
    assert books.balance("Assets:Cash:USD") == 142
    assert books.subtree_totals("Equity", date(2025, 9, 30)) == {"USD": -102}
    assert books.subtree_totals("Equity:Capital:UA") == {"USD": -42}
    assert [r.account for r in books.balances(root="Equity")] == [
        "Equity:Capital:UA",
        "Equity:Capital:US",
    ]


def test_closed_period_refuses_entries_dated_inside_it(books: Books) -> None:
    books.post(transfer("a", date(2025, 9, 1), "Assets:Cash:USD", "Equity:Capital:US", 100))
    checkpoint = books.close(date(2025, 9, 30))
    assert checkpoint.balances["Assets:Cash:USD"] == {"USD": 100}
    with pytest.raises(ClosedPeriodError, match="closed through 2025-09-30"):
        books.post(transfer("late", date(2025, 9, 30), "Assets:Cash:USD", "Equity:Capital:US", 1))
    books.post(transfer("next", date(2025, 10, 1), "Assets:Cash:USD", "Equity:Capital:US", 1))
    with pytest.raises(ConflictError, match="already closed"):
        books.close(date(2025, 9, 15))
    assert books.verify(checkpoint).ok


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE postings SET amount = amount + 1",
        "DELETE FROM postings",
        "UPDATE entries SET memo = 'rewritten'",
        "DELETE FROM entries",
        "UPDATE accounts SET currency = 'EUR'",
        "DELETE FROM accounts",
    ],
)
def test_database_refuses_to_rewrite_history(books: Books, statement: str) -> None:
    books.post(transfer("a", D, "Assets:Cash:USD", "Equity:Capital:US", 100))
    with pytest.raises(DBAPIError), books.db.write() as conn:
        conn.execute(text(statement))
    assert books.verify().ok
    assert books.balance("Assets:Cash:USD") == 100


def test_a_read_transaction_sees_one_snapshot_while_others_post(db: Database) -> None:
    books = books_with_chart(Books(db))
    books.post(transfer("s0", date(2025, 3, 1), "Assets:Cash:USD", "Equity:Capital:US", 100))
    with db.read() as conn:
        count = "SELECT count(*) FROM entries"
        before = conn.exec_driver_sql(count).scalar_one()
        books.post(transfer("s1", date(2025, 3, 2), "Assets:Cash:USD", "Equity:Capital:US", 5))
        assert conn.exec_driver_sql(count).scalar_one() == before
        assert (
            conn.exec_driver_sql("SELECT sum(amount) FROM balances WHERE amount > 0").scalar_one()
            == 100
        )
    assert books.balance("Assets:Cash:USD") == 105
