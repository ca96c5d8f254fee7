"""The contribution cycle: accruals due to the fund, transfers, and the statutory calendar."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request, Response

from jointfund.clock import utcnow
from jointfund.errors import InputError, Problem
from jointfund.fund import transfers
from jointfund.http.identity import CurrentUser
from jointfund.http.pages.responses import page
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.state import StateDep

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _day(text: str) -> date:
    if not text:
        return utcnow().date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        problem = Problem(f"not a date: {text!r}", field="as_of", expected="YYYY-MM-DD")
        raise InputError([problem]) from None


@router.get("/contributions/transfers")
def transfers_page(request: Request, ctx: StateDep, user: CurrentUser, as_of: str = "") -> Response:
    """Ukraine's accruals in the special fund and the transfers that settle them."""
    report = transfers.cycle_report(ctx.books, user, as_of=_day(as_of))
    data = transfers.report_dict(report)
    return page(request, ctx, "transfers.html", data, title="Contributions: accruals and transfers")
