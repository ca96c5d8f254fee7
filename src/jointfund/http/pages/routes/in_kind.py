"""In-kind aid as reported: each cost report's chain and the step it still needs."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from jointfund.fund import in_kind_status
from jointfund.http.identity import CurrentUser
from jointfund.http.pages.responses import page
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.state import StateDep
from jointfund.i18n import N_

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/contributions/in-kind")
def in_kind_page(request: Request, ctx: StateDep, user: CurrentUser) -> Response:
    """Cost report → valuation → recommendation → approval → booked, per cost report."""
    chains = in_kind_status.in_kind_chains(ctx.books, user)
    data = {"chains": [in_kind_status.chain_dict(c, grouping=True) for c in chains]}
    return page(request, ctx, "in_kind.html", data, title=N_("Contributions: in-kind aid"))
