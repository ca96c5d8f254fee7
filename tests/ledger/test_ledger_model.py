"""A state machine of post / re-post / reverse / close against a plain model of the books."""

from __future__ import annotations

import tempfile
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from jointfund.errors import ClosedPeriodError, ConflictError, OverdraftError
from jointfund.ledger import Entry
from jointfund.store import open_database
from jointfund.store.books import Books

from .books_fixtures import CHART, books_with_chart, transfer

USD_ACCOUNTS = [a.name for a in CHART if a.currency == "USD"]
START = date(2025, 6, 1)


class BooksMachine(RuleBasedStateMachine):
    """Drives a real SQLite ledger and a dict model with the same operations."""

    def __init__(self) -> None:
        super().__init__()
        self._dir = tempfile.TemporaryDirectory()
        self.db = open_database(str(Path(self._dir.name) / "model.db"))
        self.books = books_with_chart(Books(self.db))
        self.model: dict[str, int] = defaultdict(int)
        self.posted: dict[str, Entry] = {}
        self.reversed: set[str] = set()
        self.closed: date | None = None
        self.counter = 0

    def teardown(self) -> None:
        self.db.dispose()
        self._dir.cleanup()

    def _apply(self, entry: Entry) -> None:
        for p in entry.postings:
            self.model[p.account] += p.amount

    def _would_overdraw(self, entry: Entry) -> bool:
        cash = self.model["Assets:Cash:USD"] + sum(
            p.amount for p in entry.postings if p.account == "Assets:Cash:USD"
        )
        return cash < 0

    @rule(
        debit=st.sampled_from(USD_ACCOUNTS),
        credit=st.sampled_from(USD_ACCOUNTS),
        cents=st.integers(1, 10**12),
        day=st.integers(0, 400),
    )
    def post(self, debit: str, credit: str, cents: int, day: int) -> None:
        if debit == credit:
            return
        self.counter += 1
        entry = transfer(f"k{self.counter}", START + timedelta(days=day), debit, credit, cents)
        if self.closed is not None and entry.effective_date <= self.closed:
            with pytest.raises(ClosedPeriodError):
                self.books.post(entry)
            return
        if self._would_overdraw(entry):
            with pytest.raises(OverdraftError):
                self.books.post(entry)
            return
        assert self.books.post(entry).created
        self.posted[entry.key] = entry
        self._apply(entry)

    @precondition(lambda self: bool(self.posted))
    @rule(data=st.data())
    def repost_same_content_is_a_no_op(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.posted)))
        assert not self.books.post(self.posted[key]).created

    @precondition(lambda self: bool(self.posted))
    @rule(data=st.data())
    def repost_other_content_conflicts(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(sorted(self.posted)))
        original = self.posted[key]
        changed = Entry(key, original.effective_date, original.kind, original.postings, "changed")
        with pytest.raises(ConflictError):
            self.books.post(changed)

    @precondition(lambda self: bool(set(self.posted) - self.reversed))
    @rule(data=st.data(), day=st.integers(401, 500))
    def reverse(self, data: st.DataObject, day: int) -> None:
        originals = sorted(k for k in self.posted if self.posted[k].kind != "reversal")
        candidates = [k for k in originals if k not in self.reversed]
        if not candidates:
            return
        key = data.draw(st.sampled_from(candidates))
        undo = [p for p in self.posted[key].postings]
        preview = {p.account: -p.amount for p in undo}
        if self.model["Assets:Cash:USD"] + preview.get("Assets:Cash:USD", 0) < 0:
            with pytest.raises(OverdraftError):
                self.books.reverse(key, new_key=f"rev-{key}", on=START + timedelta(days=day))
            return
        self.books.reverse(key, new_key=f"rev-{key}", on=START + timedelta(days=day))
        self.reversed.add(key)
        stored = self.books.entry(key=f"rev-{key}").entry
        self.posted[stored.key] = stored
        self._apply(stored)

    @rule(day=st.integers(0, 400))
    def close(self, day: int) -> None:
        through = START + timedelta(days=day)
        if self.closed is not None and through <= self.closed:
            with pytest.raises(ConflictError):
                self.books.close(through)
            return
        checkpoint = self.books.close(through)
        self.closed = through
        assert self.books.verify(checkpoint).ok

    @invariant()
    def books_match_the_model_and_verify(self) -> None:
        stored = {r.account: r.amount for r in self.books.balances()}
        assert stored == {a: v for a, v in self.model.items() if v}
        assert sum(stored.values()) == 0
        report = self.books.verify()
        assert report.ok, report.first_bad
        assert report.entries == len(self.posted)


BooksMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestBooksMachine = BooksMachine.TestCase
