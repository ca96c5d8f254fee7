"""The ledger's fast paths give the verdicts and bytes of the slow definitions they stand for."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from jointfund.ledger import Entry, Posting, entry_problems, plainly_valid
from jointfund.ledger.hashing import canonical_body, canonical_json, content_text

# Text with the characters the bounds refuse (NUL, a lone surrogate) among ordinary ones.
_TEXT = st.text(
    alphabet=st.sampled_from(["a", "Ї", "€", '"', "\\", "\n", "\x00", "\ud800", " "]),
    max_size=8,
)
_JSON: st.SearchStrategy[Any] = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=8,
)
_POSTING = st.builds(
    Posting,
    account=st.sampled_from(["Assets:Cash:USD", "Equity:Capital:US", "x" * 201]) | _TEXT,
    amount=st.integers(-5, 5),
    currency=st.sampled_from(["USD", "UAH", "XXX"]),
)
_ENTRY = st.builds(
    Entry,
    key=st.sampled_from(["k1", "", "k" * 201]) | _TEXT,
    effective_date=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    kind=st.sampled_from(["transfer", "", "k" * 65]) | _TEXT,
    postings=st.lists(_POSTING, max_size=3).map(tuple),
    memo=st.sampled_from(["", "m" * 4001]) | _TEXT,
    metadata=st.dictionaries(_TEXT, _JSON, max_size=3),
    links=st.lists(_TEXT, max_size=2).map(tuple),
)


def _balanced(entry: Entry) -> Entry:
    """The entry with its postings made to balance, so the text rules decide more often."""
    if len(entry.postings) < 2:
        return entry
    *head, last = entry.postings
    rest = -sum(p.amount for p in head) or 1
    from dataclasses import replace

    return replace(entry, postings=(*head, Posting(last.account, rest, head[0].currency)))


@settings(max_examples=200, deadline=None)
@given(_ENTRY, st.booleans())
def test_plainly_valid_never_passes_an_entry_the_full_check_refuses(
    entry: Entry, balance: bool
) -> None:
    entry = _balanced(entry) if balance else entry
    if plainly_valid(entry):
        assert entry_problems(entry) == []


@settings(max_examples=200, deadline=None)
@given(_ENTRY)
def test_content_text_spells_the_entry_as_canonical_json_does(entry: Entry) -> None:
    try:
        slow = canonical_json(canonical_body(entry))
    except ValueError:  # a lone surrogate: neither spelling is ever hashed (the bounds refuse it)
        return
    assert content_text(entry) == slow


def test_metadata_that_is_not_an_empty_object_is_not_spelled_as_one() -> None:
    entry = Entry("k", date(2025, 1, 1), "t", (), metadata=[])  # type: ignore[arg-type]
    assert content_text(entry) == canonical_json(canonical_body(entry))
    assert '"t","",[],[],[]]' in content_text(entry)
