"""Two term sheets side by side: the terms in plain words (economic terms first), then every
key, with the ones that differ highlighted."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from jointfund.errors import InputError, Problem
from jointfund.fund.setup import fund_terms
from jointfund.http.identity import CurrentUser
from jointfund.http.pages.responses import page
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.pages.terms_view import plain_rows
from jointfund.http.state import StateDep
from jointfund.i18n import N_
from jointfund.i18n.message import Message
from jointfund.terms import diff_terms, load_terms, preset_ids
from jointfund.terms.sheet_diff import MISSING, flatten_terms

router = APIRouter(route_class=PageRoute, include_in_schema=False)
ADOPTED = "adopted"


@router.get("/terms")
def terms_page(
    request: Request, ctx: StateDep, user: CurrentUser, a: str = "", b: str = "", only: str = ""
) -> Response:
    """Compare term sheet `a` with `b` (preset ids, or `adopted` for the fund's own)."""
    presets = list(preset_ids())
    left = a or ADOPTED
    right = b or next((p for p in presets if p != fund_terms(ctx.books).id), presets[0])
    known = ", ".join([ADOPTED, *presets])  # ids, written the same in every language
    problems = [
        Problem(
            Message("unknown term sheet {name!r}", name=name),
            field=side,
            expected=known,
        )
        for side, name in (("a", left), ("b", right))
        if name != ADOPTED and name not in presets
    ]
    if problems:
        raise InputError(problems)
    sheet_a = fund_terms(ctx.books) if left == ADOPTED else load_terms(left)
    sheet_b = fund_terms(ctx.books) if right == ADOPTED else load_terms(right)
    differ = {d.path for d in diff_terms(sheet_a, sheet_b)}
    flat_a, flat_b = flatten_terms(sheet_a), flatten_terms(sheet_b)
    keys = list(flat_a) + [k for k in flat_b if k not in flat_a]
    rows = [
        {
            "path": k,
            "a": flat_a.get(k, MISSING),
            "b": flat_b.get(k, MISSING),
            "differs": k in differ,
        }
        for k in keys
        if not only or k in differ
    ]
    data = {
        "plain": plain_rows(sheet_a, sheet_b, only_differences=bool(only)),
        "choices": [ADOPTED, *presets],
        "a": left,
        "b": right,
        "a_id": sheet_a.id,
        "b_id": sheet_b.id,
        "only_differences": bool(only),
        "difference_count": len(differ),
        "rows": rows,
    }
    return page(request, ctx, "terms.html", data, title=N_("Term sheets"))
