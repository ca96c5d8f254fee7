"""Transparency: the EITI summary data of the fund's inflows, public and without a token.

A page of rows at a time (the latest filings in period order, `after` a filing id) with the
totals of the whole year or of every year, so an answer stays bounded as the books grow.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request, Response

from jointfund.fund import public_reports
from jointfund.fund.transparency_data import transparency_page
from jointfund.http.api.pagination import MAX_ID, MAX_LIMIT
from jointfund.http.api.schemas.common import ERROR_RESPONSES
from jointfund.http.conditional import entity_tag, not_modified
from jointfund.http.state import StateDep
from jointfund.reports.transparency import transparency_json

router = APIRouter(prefix="/api/transparency", tags=["transparency"], responses=ERROR_RESPONSES)


@router.get("", response_model=dict[str, Any])
def transparency(
    request: Request,
    ctx: StateDep,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    after: Annotated[int, Query(ge=0, le=MAX_ID, description="Rows after this filing id")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = MAX_LIMIT,
) -> Response:
    """Who paid what to which government entity under which licence (a page of rows, in
    period order), with the totals of the year or of every year (public). `next` is the
    address of the following page, or null on the last. Tagged by the books' version:
    `If-None-Match` with the tag answers 304 until the books change."""
    tag = entity_tag(ctx.books, request)
    unchanged = not_modified(request, tag)
    if unchanged is not None:
        return unchanged

    def build() -> Response:
        report, following = transparency_page(ctx.books, year, after, limit)
        answer = transparency_json(report)
        if following is None:
            answer["next"] = None
        else:
            params = (f"year={year}&" if year is not None else "") + f"after={following}"
            answer["next"] = f"/api/transparency?{params}&limit={limit}"
        return Response(orjson.dumps(answer), media_type="application/json")

    return ctx.public_answers.answer(tag, build)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/eiti",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "The workbook"}},
)
def eiti_workbook(
    request: Request,
    ctx: StateDep,
    year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
) -> Response:
    """One fiscal year's EITI Summary Data Template workbook (the newest filed year unless
    `year` names one), amounts in hryvnias (public); the bytes of the public page's download
    and of `jointfund report eiti`. Tagged by the books' version like the rows above."""
    tag = entity_tag(ctx.books, request)
    unchanged = not_modified(request, tag)
    if unchanged is not None:
        return unchanged
    covered = public_reports.eiti_year(ctx.books, year)
    body = public_reports.eiti_workbook(ctx.books, covered)
    headers = {
        "Content-Disposition": f'attachment; filename="jointfund-eiti-summary-{covered}.xlsx"',
        "ETag": tag,
        "Cache-Control": "no-cache",
    }
    return Response(body, media_type=XLSX, headers=headers)
