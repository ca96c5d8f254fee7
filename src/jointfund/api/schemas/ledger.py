"""Ledger shapes: entries with postings, hashes and source links; balances; verify reports."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, Field

from jointfund.api.schemas.common import MoneyOut, money
from jointfund.ledger import PostedEntry, VerifyReport
from jointfund.store import BalanceRow


class PostingOut(BaseModel):
    """One posting: account and signed amount (debit positive)."""

    account: str
    amount: MoneyOut


class EntryOut(BaseModel):
    """A stored entry: its place in the hash chain and the records it came from."""

    seq: int
    key: str
    date: date
    kind: str
    memo: str
    metadata: dict[str, Any]
    links: list[str] = Field(description="Keys of the entries this one refers to")
    link_urls: list[str] = Field(description="Where to fetch each linked entry")
    reverses_seq: int | None
    booked_at: str
    hash: str
    prev_hash: str
    postings: list[PostingOut]
    url: str


def entry_url(key: str) -> str:
    """The API path that fetches an entry by its idempotency key."""
    return "/api/ledger/entries/by-key?key=" + quote(key, safe="")


def entry_out(stored: PostedEntry) -> EntryOut:
    """A stored entry as its API shape."""
    e = stored.entry
    return EntryOut(
        seq=stored.seq,
        key=e.key,
        date=e.effective_date,
        kind=e.kind,
        memo=e.memo,
        metadata=dict(e.metadata),
        links=list(e.links),
        link_urls=[entry_url(k) for k in e.links],
        reverses_seq=stored.reverses_seq,
        booked_at=stored.booked_at,
        hash=stored.hash,
        prev_hash=stored.prev_hash,
        postings=[
            PostingOut(account=p.account, amount=money(p.amount, p.currency)) for p in e.postings
        ],
        url=f"/api/ledger/entries/{stored.seq}",
    )


class JournalPageOut(BaseModel):
    """Entries in chain order after a cursor; `next` fetches the following page."""

    items: list[EntryOut]
    next: str | None = Field(description="The next page's URL, or null on the last page")


class BalanceOut(BaseModel):
    """One account's balance (debit positive)."""

    account: str
    partner: str | None
    balance: MoneyOut


class BalancesOut(BaseModel):
    """Balances now or at the end of `as_of`, of every account or one subtree."""

    as_of: date | None
    root: str | None
    balances: list[BalanceOut]


def balances_out(rows: list[BalanceRow], as_of: date | None, root: str | None) -> BalancesOut:
    """Balance rows as their API shape."""
    return BalancesOut(
        as_of=as_of,
        root=root,
        balances=[
            BalanceOut(account=r.account, partner=r.partner, balance=money(r.amount, r.currency))
            for r in rows
        ],
    )


class FindingOut(BaseModel):
    """Where verification found the books disagree."""

    what: str
    seq: int | None
    key: str | None
    account: str | None


class VerifyOut(BaseModel):
    """The verdict of recomputing the chain and every balance from the journal."""

    ok: bool
    entries: int
    postings: int
    last_seq: int
    last_hash: str
    findings: list[FindingOut]


def verify_out(report: VerifyReport) -> VerifyOut:
    """A verify report as its API shape."""
    return VerifyOut(
        ok=report.ok,
        entries=report.entries,
        postings=report.postings,
        last_seq=report.last_seq,
        last_hash=report.last_hash,
        findings=[
            FindingOut(what=f.what, seq=f.seq, key=f.key, account=f.account)
            for f in report.findings
        ],
    )
