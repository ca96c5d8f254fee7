"""The licence register page: a page at a time by id, holder or issue date (either way),
searched by id prefix or holder; a reporting entity sees its own licences."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response

from jointfund.fund import Database, licences, sorting
from jointfund.fund.sorting import Sort
from jointfund.governance import User, allowed, require
from jointfund.http.identity import CurrentUser
from jointfund.http.pages.listing import kept_sort, read_limit, read_sort, sort_links
from jointfund.http.pages.responses import page
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.pages.routes.registry import PAGE_SIZE
from jointfund.http.state import StateDep
from jointfund.i18n import N_

router = APIRouter(route_class=PageRoute, include_in_schema=False)


def licence_rows(
    db: Database,
    user: User,
    search: str = "",
    after: str = "",
    before: str = "",
    order: Sort | None = None,
    size: int = PAGE_SIZE,
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """A page of registered licences as page data, and its pager (a reporting entity: the
    few licences it holds, on one page)."""
    if allowed(user, "licences.read_own"):
        return _licence_rows(licences.held_licences(db, user)), None
    order = order or Sort("licence")
    rows, count = licences.licence_page(
        db,
        user,
        search=search or None,
        after=after or None,
        before=before or None,
        limit=size + 1,
        sort=order,
    )
    more = len(rows) > size
    if before:
        shown, earlier, later = rows[-size:], more, True
    else:
        shown, earlier, later = rows[:size], bool(after), more
    kept = {"q": search} if search else {}
    kept |= kept_sort(order, "licence") | ({"limit": str(size)} if size != PAGE_SIZE else {})

    def link(**cursor: str) -> str:
        return "/licences?" + urlencode({**kept, **cursor})

    pager = {
        "count": f"{count:,}",
        "next": link(after=shown[-1].licence_id) if later and shown else None,
        "prev": link(before=shown[0].licence_id) if earlier and shown else None,
    }
    return _licence_rows(shown), pager


def _licence_rows(found: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {
            "licence_id": r.licence_id,
            "holder": r.holder,
            "deposit": r.deposit,
            "resources": list(r.resources),
            "oblast": r.oblast,
            "instrument": r.instrument,
            "issued_on": r.issued_on.isoformat(),
            "status": r.status,
            "territory": r.territory,
        }
        for r in found
    ]


@router.get("/licences")
def licences_page(
    request: Request,
    ctx: StateDep,
    user: CurrentUser,
    q: str = "",
    after: str = "",
    before: str = "",
    sort: str = "",
    limit: str = "",
) -> Response:
    """The licence register a page at a time by id (or holder, or issue date, either way),
    searched by id prefix or holder."""
    if not allowed(user, "licences.read_own"):
        require(user, "licences.read")
    order = read_sort(sort, sorting.LICENCES, "licence")
    size = read_limit(limit, PAGE_SIZE)
    found, pager = licence_rows(ctx.books, user, q[:100], after[:64], before[:64], order, size)
    data = {"filters": {"q": q[:100]}, "licences": found, "pager": pager}
    if pager is not None:
        query = request.query_params
        data |= sort_links("/licences", query, order, sorting.LICENCES, "licence")
    return page(request, ctx, "licences.html", data, title=N_("Licences"))
