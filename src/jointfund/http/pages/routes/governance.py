"""Governance as reported: the committees page, and a member's recommendation of a proposal."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from jointfund.fund import committees as cases
from jointfund.governance import Interface
from jointfund.http.csrf import CheckedForm, text
from jointfund.http.identity import CurrentUser
from jointfund.http.pages.responses import page, redirect
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.session import flash
from jointfund.http.state import StateDep
from jointfund.i18n import N_, gettext

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/governance")
def committees_page(request: Request, ctx: StateDep, user: CurrentUser) -> Response:
    """The committees (seats per partner, standing and sources, rule, members, what they
    recommend), the general partner and the reserved matters under the terms in force."""
    data = cases.governance_dict(cases.governance(ctx.books, user))
    return page(request, ctx, "governance.html", data, title=N_("Committees and reserved matters"))


@router.post("/proposals/{proposal_id}/recommend")
def recommend(
    request: Request, ctx: StateDep, user: CurrentUser, form: CheckedForm, proposal_id: int
) -> Response:
    """Recommend the payload the member saw (its hash comes back with the form)."""
    step = cases.recommend(
        ctx.books,
        user,
        proposal_id,
        payload_hash=text(form, "payload_hash"),
        interface=Interface.WEB,
    )
    message = (
        N_("The committee recommends proposal {number} to the board.")
        if step.satisfied
        else N_("Recommendation recorded; the committee needs more.")
    )
    flash(request, gettext(message).format(number=proposal_id))
    return redirect(request, ctx, f"/proposals/{proposal_id}", {"recommended": step.satisfied})
