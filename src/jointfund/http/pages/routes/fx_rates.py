"""An FX rate's page: the stored rate (day, pair, rate, the file and row it came from) and the
journal entries booked at it, a page at a time; an entry's page links here."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response

from jointfund.dates import DAY_EXPECTED, day_or_reason
from jointfund.errors import InputError, NotFoundError, Problem
from jointfund.fund import trace
from jointfund.fund.trace import StoredRate
from jointfund.governance import require
from jointfund.http.identity import CurrentUser
from jointfund.http.pages.responses import page
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.state import StateDep
from jointfund.i18n import N_, gettext, localise_date
from jointfund.i18n.message import Message

router = APIRouter(route_class=PageRoute, include_in_schema=False)
PAGE_SIZE = 100
MAX_PAGE_SIZE = 200


def rate_href(rate: StoredRate) -> str:
    """The address of a stored rate's page."""
    return f"/ledger/fx-rates/{rate.on.isoformat()}/{rate.base}-{rate.quote}"


def words_href(words: str | None) -> str | None:
    """The page of the rate a filing's rate words name ("USD/UAH 41.2880 on 2025-06-30")."""
    named = trace.parse_rate_words(words) if words else None
    if named is None:
        return None
    on, base, quote = named
    return f"/ledger/fx-rates/{on.isoformat()}/{base}-{quote}"


def rate_data(rate: StoredRate) -> dict[str, Any]:
    """A stored rate as page data."""
    return {
        "on": rate.on.isoformat(),
        "pair": f"{rate.base}/{rate.quote}",
        "rate": rate.rate,
        "source": rate.source,
        "source_row": rate.source_row,  # None: stored before rows were kept (not guessed)
        "filings": rate.filings,
        "href": rate_href(rate),
    }


def _pair(text: str) -> tuple[str, str]:
    base, _, quote = text.partition("-")
    if len(base) == 3 and len(quote) == 3 and (base + quote).isascii() and (base + quote).isalpha():
        return base.upper(), quote.upper()
    raise NotFoundError(Message("no such currency pair: {text!r}", text=text[:20]))


def _size(text: str) -> int:
    if not text:
        return PAGE_SIZE
    if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_PAGE_SIZE:
        return int(text)
    reason = Message("not a page size: {text!r}", text=text[:40])
    most = Message("1–{most}", most=MAX_PAGE_SIZE)
    raise InputError([Problem(reason, field="limit", expected=most)])


def _on(text: str) -> date:
    day, reason = day_or_reason(text)
    if day is None:
        raise InputError([Problem(reason, field="on", expected=DAY_EXPECTED)])
    return day


@router.get("/ledger/fx-rates/{on}/{pair}")
def fx_rate_page(
    request: Request,
    ctx: StateDep,
    user: CurrentUser,
    on: str,
    pair: str,
    after: str = "",
    limit: str = "",
) -> Response:
    """One stored FX rate and the entries booked at it in chain order (`after` = the last
    entry seen; `limit` entries a page, 1 to 200)."""
    require(user, "ledger.read")  # before the input: a refusal says nothing of it
    require(user, "filings.read")
    after_seq = int(after) if after.isascii() and after.isdigit() and len(after) < 19 else 0
    if after and not after_seq:
        reason = Message("not an entry number: {text!r}", text=after[:40])
        raise InputError([Problem(reason, field="after")])
    base, quote = _pair(pair)
    size = _size(limit)
    rate, found, count = trace.rate_entries(
        ctx.books, user, on=_on(on), base=base, quote=quote, after_seq=after_seq,
        limit=size + 1,
    )  # fmt: skip
    shown = found[:size]
    here = rate_href(rate)
    kept = {"limit": limit} if limit else {}
    data = {
        **rate_data(rate),
        "count": f"{count:,}",
        "entries": [
            {
                "seq": e.seq,
                "key": e.key,
                "date": e.day.isoformat(),
                "kind": e.kind,
                "memo": e.memo,
                "filings": e.filings,
            }
            for e in shown
        ],
        "first": f"{here}?{urlencode(kept)}".rstrip("?") if after_seq else None,
        "next": (
            f"{here}?{urlencode({**kept, 'after': shown[-1].seq})}" if len(found) > size else None
        ),
    }
    title = gettext(N_("FX rate {pair} on {day}")).format(
        pair=data["pair"], day=localise_date(rate.on)
    )
    return page(request, ctx, "fx_rate.html", data, title=title)
