"""The contribution cycle: accruals due to the fund, transfers, and the statutory calendar."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response

from jointfund.clock import utcnow
from jointfund.dates import DAY_EXPECTED, day_or_reason
from jointfund.errors import InputError, Problem
from jointfund.fund import calendar, cycle_report
from jointfund.governance import User
from jointfund.http.identity import CurrentUser
from jointfund.http.pages.listing import read_limit
from jointfund.http.pages.responses import page
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.state import AppState, StateDep
from jointfund.i18n import N_
from jointfund.i18n.message import Message

router = APIRouter(route_class=PageRoute, include_in_schema=False)

PERIOD_LINES = 100
"""Accrual lines a period shows on the page, the largest first; the API and the CLI list all."""


def _day(text: str) -> date:
    """The `as_of` day of a page: today when not given, else exactly YYYY-MM-DD in range."""
    if not text:
        return utcnow().date()
    day, reason = day_or_reason(text)
    if day is None:
        raise InputError([Problem(reason, field="as_of", expected=DAY_EXPECTED)])
    return day


@router.get("/contributions/transfers")
def transfers_page(request: Request, ctx: StateDep, user: CurrentUser, as_of: str = "") -> Response:
    """Ukraine's accruals in the special fund and the transfers that settle them."""
    report = cycle_report.cycle_report(ctx.books, user, as_of=_day(as_of))
    data = cycle_report.report_dict(report, lines=PERIOD_LINES)
    return page(
        request, ctx, "transfers.html", data, title=N_("Contributions: accruals and transfers")
    )


@router.get("/calendar")
def calendar_page(
    request: Request,
    ctx: StateDep,
    user: CurrentUser,
    as_of: str = "",
    rent: str = "on",
    licence: str = "",
    after: str = "",
    limit: str = "",
) -> Response:
    """Every statutory deadline of the cycle with its status; rent filings counted, and listed
    a page at a time, newest receipt first (of one licence when asked)."""
    day = _day(as_of)
    after_id = int(after) if after.isascii() and after.isdigit() and len(after) < 19 else None
    if after and after_id is None:
        raise InputError(
            [Problem(Message("not a filing number: {text!r}", text=after[:40]), field="after")]
        )
    found = calendar.compliance_calendar(
        ctx.books,
        user,
        as_of=day,
        rent=rent != "off",
        after=after_id,
        limit=read_limit(limit, calendar.RENT_PAGE),
        licence_id=licence.strip()[:64] or None,
    )
    data = calendar.calendar_dict(found)
    data["filters"] = {"licence": licence.strip()[:64], "rent": rent != "off"}
    return page(request, ctx, "calendar.html", data, title=N_("Compliance calendar"))


def overview_calendar(ctx: AppState, user: User, as_of: date) -> dict[str, Any]:
    """The overview's share of the calendar: the cycle's deadlines. Rent's deadlines are one per
    rent filing (tens of thousands a year for a national registry), so their status stays on
    the calendar page, where it is asked for, and the overview does not grow with the filings."""
    found = calendar.compliance_calendar(ctx.books, user, as_of=as_of, rent=False)
    data = calendar.calendar_dict(found)
    return {"deadlines": data["items"], "counts": data["counts"]}
