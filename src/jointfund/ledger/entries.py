"""Entries and postings: immutable records of what happened, balanced per currency."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jointfund.bounds import INT_RANGE, MAX_TEXT, storable, text_problem, value_problems
from jointfund.money import is_currency

MAX_KEY_LENGTH = 200
MAX_KIND_LENGTH = 64  # the store's columns: entries.kind, accounts.name
MAX_ACCOUNT_LENGTH = 200
MAX_LINKS = 100
_LOWEST, _HIGHEST = INT_RANGE  # what a 64-bit column holds
Metadata = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Posting:
    """A signed amount in integer minor units moved to or from one account (debit > 0)."""

    account: str
    amount: int
    currency: str


@dataclass(frozen=True, slots=True)
class Entry:
    """A journal entry; `key` makes posting it idempotent, `links` name its source records."""

    key: str
    effective_date: date
    kind: str
    postings: tuple[Posting, ...]
    memo: str = ""
    metadata: Metadata = field(default_factory=dict)
    links: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PostedEntry:
    """An entry as stored: its place in the chain and its hashes."""

    seq: int
    entry: Entry
    booked_at: str
    prev_hash: str
    hash: str
    reverses_seq: int | None = None


@dataclass(frozen=True, slots=True)
class PostResult:
    """What `post`/`post_many` did with one entry: stored now, or found already stored."""

    seq: int
    key: str
    hash: str
    created: bool


def entry_problems(entry: Entry) -> list[tuple[str, str]]:
    """Every way `entry` is malformed on its own, as (field, message) pairs."""
    problems: list[tuple[str, str]] = []
    if not entry.key or len(entry.key) > MAX_KEY_LENGTH:
        problems.append(("key", f"idempotency key must be 1 to {MAX_KEY_LENGTH} characters"))
    if not entry.kind:
        problems.append(("kind", "entry kind must not be empty"))
    for name, text, limit in (
        ("key", entry.key, max(len(entry.key), 1)),  # its length is judged above
        ("kind", entry.kind, MAX_KIND_LENGTH),
        ("memo", entry.memo, MAX_TEXT),
    ):
        if why := text_problem(text, limit):
            problems.append((name, why))
    problems += value_problems(dict(entry.metadata), "metadata")
    if len(entry.links) > MAX_LINKS:
        problems.append(("links", f"more than {MAX_LINKS} links"))
    problems += [
        (f"links[{i}]", why)
        for i, link in enumerate(entry.links[:MAX_LINKS])
        if (why := text_problem(link, MAX_KEY_LENGTH))
    ]
    if len(entry.postings) < 2:
        problems.append(("postings", "an entry needs at least two postings"))
    sums: dict[str, int] = defaultdict(int)
    for i, posting in enumerate(entry.postings):
        if type(posting.amount) is not int:
            problems.append((f"postings[{i}].amount", "amount must be an integer of minor units"))
            continue
        if why := text_problem(posting.account, MAX_ACCOUNT_LENGTH):
            problems.append((f"postings[{i}].account", why))
        if posting.amount == 0:
            problems.append((f"postings[{i}].amount", "amount must not be zero"))
        if not is_currency(posting.currency):
            problems.append((f"postings[{i}].currency", f"unknown currency {posting.currency!r}"))
        sums[posting.currency] += posting.amount
    for currency, total in sorted(sums.items()):
        if total != 0:
            problems.append(
                ("postings", f"postings in {currency} sum to {total} minor units, not zero")
            )
    return problems


def plainly_valid(entry: Entry) -> bool:
    """True only when `entry_problems(entry)` is empty, checked the cheap way for the common
    entry (one currency); False sends the entry to the full check. Every rule of entry_problems
    is here or sends the entry there: text included, since a NUL stored fails `verify` for good
    and PostgreSQL refuses it in the driver."""
    postings = entry.postings
    key, kind, memo = entry.key, entry.kind, entry.memo
    if (
        len(postings) < 2
        or not key
        or len(key) > MAX_KEY_LENGTH
        or not kind
        or len(kind) > MAX_KIND_LENGTH
        or len(memo) > MAX_TEXT
        or len(entry.links) > MAX_LINKS
        or any(len(link) > MAX_KEY_LENGTH for link in entry.links)
        or (entry.metadata and value_problems(dict(entry.metadata), "metadata"))
    ):
        return False
    currency = postings[0].currency
    total = 0
    for posting in postings:
        amount = posting.amount
        if (
            type(amount) is not int
            or not amount
            or not _LOWEST <= amount <= _HIGHEST  # the store refuses it, naming the entry
            or posting.currency != currency
            or len(posting.account) > MAX_ACCOUNT_LENGTH
        ):
            return False
        total += amount
    texts = "".join([key, kind, memo, *entry.links, *(p.account for p in postings)])
    return total == 0 and is_currency(currency) and storable(texts)


def reversal(original: Entry, *, key: str, on: date, memo: str = "") -> Entry:
    """The entry that undoes `original`: same postings negated, linked back to it."""
    return Entry(
        key=key,
        effective_date=on,
        kind="reversal",
        postings=tuple(Posting(p.account, -p.amount, p.currency) for p in original.postings),
        memo=memo or f"reversal of {original.key}",
        metadata={"reverses": original.key},
        links=(original.key,),
    )
