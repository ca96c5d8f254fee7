"""Capital account statements, per partner and quarter."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from jointfund.clock import utcnow
from jointfund.fund.setup import fund_terms
from jointfund.fund.statements import (
    CapitalStatement,
    capital_statement,
    default_partner,
    last_completed_quarter,
)
from jointfund.http.identity import CurrentUser
from jointfund.http.pages.responses import page
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.pages.routes.overview import usd
from jointfund.http.state import StateDep
from jointfund.i18n import N_

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def _ratio(value: object) -> str | None:
    return None if value is None else f"{float(value):.2f}x"  # type: ignore[arg-type]


def statement_data(s: CapitalStatement) -> dict[str, Any]:
    """A statement as page data: its lines, ownership, NAV share and performance."""
    perf = s.performance
    return {
        "partner": s.partner,
        "quarter": s.quarter.label,
        "start": s.quarter.start.isoformat(),
        "end": s.quarter.end.isoformat(),
        "lines": [{"label": label, "amount": usd(amount)} for label, amount in s.rows()],
        "ownership": f"{float(s.ownership):.4%}",
        "nav_share": usd(s.nav_share),
        "nav_difference": usd(s.nav_share - s.closing),
        "complete": s.complete,
        "warnings": list(s.warnings),
        "performance": {
            "paid_in": usd(perf.paid_in),
            "distributed": usd(perf.distributed),
            "irr": None if perf.irr is None else f"{perf.irr:.2%}",
            "tvpi": _ratio(perf.tvpi),
            "dpi": _ratio(perf.dpi),
            "rvpi": _ratio(perf.rvpi),
        },
    }


@router.get("/statements")
def statements_page(
    request: Request, ctx: StateDep, user: CurrentUser, partner: str = "", quarter: str = ""
) -> Response:
    """One partner's capital account statement for one quarter (defaults: a board manager's
    own partner, else the first; the last quarter that has ended)."""
    partners = list(fund_terms(ctx.books).partner_ids)
    chosen = partner or default_partner(user, partners)
    label = quarter or last_completed_quarter(utcnow().date())
    found = capital_statement(
        ctx.books, user, chosen, label, stale_after_days=ctx.settings.fx_stale_days
    )
    data = {
        "partners": partners,
        "partner": chosen,
        "quarter": label,
        "statement": statement_data(found),
    }
    return page(request, ctx, "statements.html", data, title=N_("Capital statements"))
