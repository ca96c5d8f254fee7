"""Ledger shapes: entries with postings, hashes and source links; balances; verify reports."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, Field

from jointfund.fund.books import BalanceRow
from jointfund.http.api.schemas.common import MoneyOut, money_fields
from jointfund.ledger import PostedEntry, VerifyReport


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


def entry_fields(stored: PostedEntry) -> dict[str, Any]:
    """A stored entry as the fields of `EntryOut`: a page validates all of its entries at once."""
    e = stored.entry
    return {
        "seq": stored.seq,
        "key": e.key,
        "date": e.effective_date,
        "kind": e.kind,
        "memo": e.memo,
        "metadata": dict(e.metadata),
        "links": list(e.links),
        "link_urls": [entry_url(k) for k in e.links],
        "reverses_seq": stored.reverses_seq,
        "booked_at": stored.booked_at,
        "hash": stored.hash,
        "prev_hash": stored.prev_hash,
        "postings": [
            {"account": p.account, "amount": money_fields(p.amount, p.currency)} for p in e.postings
        ],
        "url": f"/api/ledger/entries/{stored.seq}",
    }


def entry_out(stored: PostedEntry) -> EntryOut:
    """A stored entry as its API shape."""
    return EntryOut.model_validate(entry_fields(stored))


class JournalPageOut(BaseModel):
    """Entries in chain order after a cursor; `next` fetches the following page."""

    items: list[EntryOut]
    next: str | None = Field(description="The next page's URL, or null on the last page")


def journal_page_out(items: list[PostedEntry], following: str | None) -> JournalPageOut:
    """A page of stored entries as its API shape, validated in one call."""
    return JournalPageOut.model_validate(
        {"items": [entry_fields(s) for s in items], "next": following}
    )


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
    """Balance rows as their API shape, validated in one call."""
    return BalancesOut.model_validate(
        {
            "as_of": as_of,
            "root": root,
            "balances": [
                {
                    "account": r.account,
                    "partner": r.partner,
                    "balance": money_fields(r.amount, r.currency),
                }
                for r in rows
            ],
        }
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
