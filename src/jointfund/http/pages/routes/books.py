"""The auditor's views of the books: trial balance and balance sheet as of a day, one
account's history with its running balance, and an entry found by its key."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request, Response

from jointfund.clock import utcnow
from jointfund.dates import DAY_EXPECTED, day_or_reason
from jointfund.errors import InputError, Problem
from jointfund.fund import books, trace
from jointfund.fund.trial_balance import SECTIONS, balance_sheet, trial_balance
from jointfund.governance import require
from jointfund.http.identity import CurrentUser
from jointfund.http.pages.responses import page, redirect
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.pages.routes.fx_rates import words_href
from jointfund.http.state import StateDep
from jointfund.i18n import N_, gettext
from jointfund.i18n.message import Message
from jointfund.money import format_amount

router = APIRouter(route_class=PageRoute, include_in_schema=False)
HISTORY_PAGE = 100


def as_of_day(text: str) -> date:
    """The `as_of` of a page: today when not given, else exactly YYYY-MM-DD in range."""
    if not text:
        return utcnow().date()
    day, reason = day_or_reason(text)
    if day is None:
        raise InputError([Problem(reason, field="as_of", expected=DAY_EXPECTED)])
    return day


def money(minor: int, currency: str) -> str:
    """Exact minor units written with grouping (the page localises the separators)."""
    return format_amount(minor, currency, grouping=True)


def account_href(name: str) -> str:
    """The address of an account's history page."""
    return "/ledger/accounts/" + quote(name, safe=":")


@router.get("/ledger/trial-balance")
def trial_balance_page(
    request: Request, ctx: StateDep, user: CurrentUser, as_of: str = ""
) -> Response:
    """Every account's balance at the end of a day as a debit or a credit, totals per currency."""
    day = as_of_day(as_of)
    found = trial_balance(ctx.books, user, as_of=day)
    currencies = sorted(set(found.debits) | set(found.credits))
    data = {
        "as_of": day.isoformat(),
        "balanced": found.balanced,
        "lines": [
            {
                "account": x.account,
                "href": account_href(x.account),
                "currency": x.currency,
                "debit": money(x.debit, x.currency) if x.debit else "",
                "credit": money(x.credit, x.currency) if x.credit else "",
            }
            for x in found.lines
        ],
        "totals": [
            {
                "currency": c,
                "debits": money(found.debits.get(c, 0), c),
                "credits": money(found.credits.get(c, 0), c),
                "balanced": found.debits.get(c, 0) == found.credits.get(c, 0),
            }
            for c in currencies
        ],
    }
    return page(request, ctx, "trial_balance.html", data, title=N_("Trial balance"))


SECTION_TITLES = {"asset": N_("Assets"), "liability": N_("Liabilities"), "equity": N_("Equity")}


@router.get("/ledger/balance-sheet")
def balance_sheet_page(
    request: Request, ctx: StateDep, user: CurrentUser, as_of: str = ""
) -> Response:
    """Assets, liabilities and equity at the end of a day, per currency."""
    day = as_of_day(as_of)
    sheet = balance_sheet(ctx.books, user, as_of=day)
    data = {
        "as_of": day.isoformat(),
        "sections": [
            {
                "kind": kind.value,
                "title": gettext(SECTION_TITLES[kind.value]),
                "lines": [
                    {
                        "account": x.account,
                        "href": account_href(x.account),
                        "currency": x.currency,
                        "amount": money(x.amount, x.currency),
                    }
                    for x in sheet.sections[kind]
                ],
                "totals": {c: money(v, c) for c, v in sorted(sheet.totals[kind].items())},
            }
            for kind in SECTIONS
        ],
        "result": {c: money(v, c) for c, v in sorted(sheet.result.items())},
        "balanced": {c: sheet.balanced(c) for c in sheet.currencies()},
    }
    return page(request, ctx, "balance_sheet.html", data, title=N_("Balance sheet"))


@router.get("/ledger/accounts/{name}")
def account_page(
    request: Request, ctx: StateDep, user: CurrentUser, name: str, after: str = ""
) -> Response:
    """One account's postings in chain order with the running balance, a page at a time."""
    after_seq = int(after) if after.isascii() and after.isdigit() and len(after) < 19 else 0
    if after and not after_seq:
        reason = Message("not an entry number: {text!r}", text=after[:40])
        raise InputError([Problem(reason, field="after")])
    found = trace.account_ledger(ctx.books, user, name, after_seq=after_seq, limit=HISTORY_PAGE)
    shown, more = found.lines, found.more
    here = account_href(name)
    data = {
        "account": found.account,
        "currency": found.currency,
        "type": found.type,
        "count": f"{found.count:,}",
        "opening": money(found.opening, found.currency),
        "lines": [
            {
                "seq": x.seq,
                "date": x.day.isoformat(),
                "kind": x.kind,
                "memo": x.memo,
                "amount": money(x.amount, found.currency),
                "balance": money(x.balance, found.currency),
            }
            for x in shown
        ],
        "first": here if after_seq else None,
        "next": f"{here}?{urlencode({'after': shown[-1].seq})}" if more and shown else None,
    }
    title = gettext(N_("Account {name}")).format(name=name)
    return page(request, ctx, "account.html", data, title=title)


@router.get("/ledger/entries/by-key")
def entry_by_key(request: Request, ctx: StateDep, user: CurrentUser, key: str = "") -> Response:
    """The entry with this idempotency key (a filing names the entry that booked it)."""
    require(user, "ledger.read")  # before the input: a refusal says nothing of it
    if not key:
        raise InputError([Problem(Message("an entry key is required"), field="key")])
    found = books.entry(ctx.books, user, key=key)
    return redirect(request, ctx, f"/ledger/entries/{found.seq}", {"seq": found.seq})


def entry_filings(ctx: Any, user: Any, seq: int) -> dict[str, Any]:
    """The filings an entry sums, as page data: each with its licence, receipt date and rate."""
    _, found, count = trace.entry_filings(ctx.books, user, seq=seq)
    return {
        "filings_count": f"{count:,}",
        "filings_more": count > len(found),
        "filings": [
            {
                "reference": f.payer_reference,
                "version": f.version,
                "licence_id": f.licence_id,
                "period": f.period,
                "stream": f.stream,
                "received_on": f.received_on.isoformat(),
                "currency": f.currency,
                "gross": money(int(f.gross_minor), f.currency),
                "fund_share": money(int(f.fund_minor), f.currency),
                "fx_rate": f.fx_rate or "",
                "fx_href": words_href(f.fx_rate),
            }
            for f in found
        ],
    }
