"""The ledger explorer: entries filtered by account, kind and dates; entry detail; verify."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response

from jointfund.dates import DAY_EXPECTED, day_or_reason
from jointfund.errors import InputError, Problem
from jointfund.fund import books, sorting, trace
from jointfund.governance import allowed, require
from jointfund.http.csrf import CheckedForm
from jointfund.http.identity import CurrentUser
from jointfund.http.pages.listing import kept_sort, read_sort, sort_links
from jointfund.http.pages.responses import page
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.pages.routes.books import account_href, entry_filings
from jointfund.http.pages.routes.fx_rates import rate_data
from jointfund.http.state import StateDep
from jointfund.i18n import N_, gettext
from jointfund.i18n.message import Message
from jointfund.ledger import PostedEntry, VerifyReport
from jointfund.money import format_amount

router = APIRouter(route_class=PageRoute, include_in_schema=False)
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
KINDS = (
    "contribution", "inflow", "distribution", "disbursement", "proceeds", "valuation_mark",
    "write_down", "inflow-correction", "reversal",
)  # fmt: skip


def _day(text: str, name: str, problems: list[Problem]) -> date | None:
    if not text:
        return None
    day, reason = day_or_reason(text)
    if day is None:
        problems.append(Problem(reason, field=name, expected=DAY_EXPECTED))
    return day


def _after(text: str, problems: list[Problem]) -> int:
    if not text:
        return 0
    if text.isdigit():
        return int(text)
    problems.append(Problem(Message("not an entry number: {text!r}", text=text), field="after"))
    return 0


def _size(text: str, problems: list[Problem]) -> int:
    if not text:
        return PAGE_SIZE
    if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_PAGE_SIZE:
        return int(text)
    reason = Message("not a page size: {text!r}", text=text[:40])
    most = Message("1–{most}", most=MAX_PAGE_SIZE)
    problems.append(Problem(reason, field="limit", expected=most))
    return PAGE_SIZE


def entry_row(stored: PostedEntry) -> dict[str, Any]:
    """An entry as one line of the journal list."""
    entry = stored.entry
    moved: dict[str, int] = {}
    for p in entry.postings:
        if p.amount > 0:
            moved[p.currency] = moved.get(p.currency, 0) + p.amount
    return {
        "seq": stored.seq,
        "key": entry.key,
        "date": entry.effective_date.isoformat(),
        "kind": entry.kind,
        "memo": entry.memo,
        "amount": ", ".join(f"{format_amount(v, c, grouping=True)} {c}" for c, v in moved.items()),
    }


def entry_detail(stored: PostedEntry) -> dict[str, Any]:
    """Everything stored about one entry: postings, metadata, links and hashes."""
    entry = stored.entry
    return {
        **entry_row(stored),
        "metadata": {k: v for k, v in dict(entry.metadata).items()},
        "links": list(entry.links),
        "booked_at": stored.booked_at,
        "hash": stored.hash,
        "prev_hash": stored.prev_hash,
        "reverses_seq": stored.reverses_seq,
        "postings": [
            {
                "account": p.account,
                "href": account_href(p.account),
                "currency": p.currency,
                "amount": format_amount(p.amount, p.currency, grouping=True),
                "minor": p.amount,
            }
            for p in entry.postings
        ],
    }


@router.get("/ledger")
def ledger_page(
    request: Request,
    ctx: StateDep,
    user: CurrentUser,
    account: str = "",
    kind: str = "",
    start: str = "",
    end: str = "",
    after: str = "",
    limit: str = "",
    sort: str = "",
) -> Response:
    """Journal entries, filters applied, a page at a time in chain order or sorted by date,
    kind or key either way (`after` = last seq seen; `limit` entries a page, 1 to 200)."""
    require(user, "ledger.read")
    order = read_sort(sort, sorting.JOURNAL, "seq")
    problems: list[Problem] = []
    first, last = _day(start, "start", problems), _day(end, "end", problems)
    after_seq = _after(after, problems)
    size = _size(limit, problems)
    if problems:
        raise InputError(problems)
    found = books.journal(
        ctx.books,
        user,
        account=account or None,
        kind=kind or None,
        start=first,
        end=last,
        after_seq=after_seq,
        limit=size + 1,
        sort=order,
    )
    shown = found[:size]
    total = trace.journal_count(
        ctx.books, user, account=account or None, kind=kind or None, start=first, end=last
    )
    filters = {"account": account, "kind": kind, "start": start, "end": end}
    query = {k: v for k, v in (*filters.items(), ("limit", limit)) if v}
    query |= kept_sort(order, "seq")
    data = {
        "filters": filters,
        "accounts": [a.name for a in books.accounts(ctx.books, user)],
        "kinds": list(KINDS),
        "entries": [entry_row(e) for e in shown],
        "next_after": shown[-1].seq if len(found) > size else None,
        "first": "/ledger?" + urlencode(query) if after_seq else None,
        "count": f"{total:,}",
        **sort_links("/ledger", request.query_params, order, sorting.JOURNAL, "seq"),
    }
    return page(request, ctx, "ledger.html", data, title=N_("Ledger"))


@router.get("/ledger/entries/{seq}")
def entry_page(request: Request, ctx: StateDep, user: CurrentUser, seq: int) -> Response:
    """One entry with its postings, metadata and hash."""
    require(user, "ledger.read")
    data = entry_detail(books.entry(ctx.books, user, seq=seq))
    if allowed(user, "filings.read"):
        data |= entry_filings(ctx, user, seq)
        data["fx_rates"] = [rate_data(r) for r in trace.entry_rates(ctx.books, user, seq=seq)]
    return page(request, ctx, "entry.html", data, title=gettext(N_("Entry {seq}")).format(seq=seq))


def verify_data(report: VerifyReport) -> dict[str, Any]:
    """A verification report as page data."""
    return {
        "ok": not report.findings,
        "entries": report.entries,
        "postings": report.postings,
        "last_seq": report.last_seq,
        "last_hash": report.last_hash,
        "findings": [
            {"what": f.what, "seq": f.seq, "key": f.key, "account": f.account}
            for f in report.findings
        ],
    }


@router.get("/ledger/verify")
def verify_start(request: Request, ctx: StateDep, user: CurrentUser) -> Response:
    """What verification does, and the button that runs it: where an auditor lands."""
    require(user, "ledger.verify")
    data: dict[str, Any] = {"ok": None, "entries": None, "postings": None, "findings": []}
    return page(request, ctx, "verify.html", data, title=N_("Verification"))


@router.post("/ledger/verify")
def verify_page(request: Request, ctx: StateDep, user: CurrentUser, form: CheckedForm) -> Response:
    """Recompute the hash chain and every balance now and show what was found."""
    require(user, "ledger.verify")
    data = verify_data(books.verify(ctx.books, user))
    return page(request, ctx, "verify.html", data, title=N_("Verification"))
