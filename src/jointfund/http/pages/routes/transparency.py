"""The public transparency page: EITI-style totals by resource, oblast, stream and year.

No sign-in, and only public data: sums of filed payments and the fund's share of them. No
account balances, no partners' capital, no user names, no tokens.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import IO, Any, BinaryIO, cast

from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from starlette.datastructures import URL

from jointfund.errors import InputError, NotFoundError, Problem
from jointfund.fund import public_reports
from jointfund.fund.public_tables import CompanyRow, ProjectRow, public_pages
from jointfund.fund.transparency_data import transparency_totals
from jointfund.http.conditional import entity_tag, not_modified, tagged
from jointfund.http.language import COOKIE as LANG_COOKIE
from jointfund.http.pages.responses import page
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.session import COOKIE
from jointfund.http.state import AppState, StateDep
from jointfund.i18n import N_
from jointfund.i18n.message import Message
from jointfund.money import format_amount
from jointfund.reports.transparency import TotalLine, TransparencyReport

router = APIRouter(route_class=PageRoute, include_in_schema=False)
DIMENSIONS = ("resource", "oblast", "stream", "year")
# An example of the year the address takes, written the same in every language.
_YEAR_EXAMPLE = "2026"


def _line(t: TotalLine, usd: str) -> dict[str, Any]:
    return {
        "key": t.key,
        "currency": t.currency,
        "payments": t.payments,
        "amount": format_amount(t.amount_minor, t.currency, grouping=True),
        "fund_share": format_amount(t.fund_share_minor, t.currency, grouping=True),
        "budget_share": format_amount(t.budget_share_minor, t.currency, grouping=True),
        "fund_share_usd": format_amount(t.fund_share_usd_minor, usd, grouping=True),
    }


def public_totals(report: TransparencyReport) -> dict[str, Any]:
    """Only the totals of a transparency report, by dimension, and per currency overall."""
    usd = report.reporting_currency
    overall: dict[str, list[int]] = {}
    for line in report.totals["year"]:  # the years partition the payments
        sums = overall.setdefault(line.currency, [0, 0, 0, 0])
        sums[0] += line.payments
        sums[1] += line.amount_minor
        sums[2] += line.fund_share_minor
        sums[3] += line.fund_share_usd_minor
    return {
        "fiscal_year": report.fiscal_year,
        "reporting_currency": usd,
        "totals": {d: [_line(t, usd) for t in report.totals[d]] for d in DIMENSIONS},
        "overall": [
            {
                "currency": c,
                "payments": s[0],
                "amount": format_amount(s[1], c, grouping=True),
                "fund_share": format_amount(s[2], c, grouping=True),
                "fund_share_usd": format_amount(s[3], usd, grouping=True),
            }
            for c, s in sorted(overall.items())
        ],
    }


def _year(year: str) -> int | None:
    """The fiscal year asked for (None for every year), or a located error."""
    if year and not (year.isdigit() and len(year) == 4):
        raise InputError(
            [
                Problem(
                    Message("not a year: {year!r}", year=year),
                    field="year",
                    expected=_YEAR_EXAMPLE,
                )
            ]
        )
    return int(year) if year else None


def _usd(minor: int, usd: str) -> str:
    return format_amount(minor, usd, grouping=True)


def _money(amounts: tuple[tuple[str, int], ...]) -> list[str]:
    return [f"{format_amount(v, c, grouping=True)} {c}" for c, v in amounts]


def company_cells(rows: Iterable[CompanyRow], usd: str) -> list[dict[str, Any]]:
    """The rows of the table by company (licence holder), as the page writes them."""
    return [
        {
            "name": c.name,
            "registry_id": c.registry_id,
            "licences": c.licences,
            "payments": c.payments,
            "amounts": _money(c.amounts),
            "fund_share_usd": _usd(c.fund_share_usd_minor, usd),
            "zero": c.fund_share_usd_minor == 0,
        }
        for c in rows
    ]


def project_cells(rows: Iterable[ProjectRow], usd: str) -> list[dict[str, Any]]:
    """The rows of the table by project (a licence and its deposit), as the page writes them."""
    return [
        {
            "licence_id": p.licence_id,
            "project": p.project,
            "company": p.company,
            "oblast": p.oblast,
            "resources": list(p.resources),
            "payments": p.payments,
            "amounts": _money(p.amounts),
            "fund_share_usd": _usd(p.fund_share_usd_minor, usd),
            "zero": p.fund_share_usd_minor == 0,
        }
        for p in rows
    ]


def _pager(request: Request, field: str, following: str | None, fragment: str) -> dict[str, Any]:
    """The links from one page of a table to its first and next pages (the other table's
    place and the year kept)."""

    def link(url: URL) -> str:
        return url.path + (f"?{url.query}" if url.query else "") + fragment

    url = request.url
    first = link(url.remove_query_params(field)) if request.query_params.get(field) else None
    after = link(url.include_query_params(**{field: following})) if following else None
    return {"first": first, "next": after}


def year_chart(report: TransparencyReport) -> list[dict[str, Any]]:
    """The fund's share in the reporting currency per fiscal year, oldest first, with each
    bar's length as a percentage of the largest: a chart drawn without a script."""
    by_year: dict[str, int] = defaultdict(int)
    for t in report.totals["year"]:
        by_year[t.key] += t.fund_share_usd_minor
    top = max((v for v in by_year.values()), default=0)
    return [
        {
            "year": y,
            "value": _usd(v, report.reporting_currency),
            "percent": round(100 * v / top, 1) if top > 0 and v > 0 else 0,
        }
        for y, v in sorted(by_year.items())
    ]


DOWNLOADS = {
    "payments.csv": ("text/csv; charset=utf-8", "csv"),
    "summary.xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
    "summary.json": ("application/json", "json"),
    "eiti.xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "eiti",
    ),
}


@router.get("/transparency/{name}")
def transparency_download(request: Request, ctx: StateDep, name: str, year: str = "") -> Response:
    """The public data as a file (public, no sign-in): the payments as CSV and the summary
    data as JSON (both streamed), the summary data as XLSX, or one fiscal year's EITI Summary
    Data workbook."""
    if name not in DOWNLOADS:
        raise NotFoundError(Message("no download {name!r}", name=name))
    wanted = _year(year)
    tag = entity_tag(ctx.books, request)
    unchanged = not_modified(request, tag)
    if unchanged is not None:
        return unchanged
    media, fmt = DOWNLOADS[name]
    stem, suffix = name.split(".")
    if fmt == "eiti":
        covered = public_reports.eiti_year(ctx.books, wanted)
        body = public_reports.eiti_workbook(ctx.books, covered)
        filename = f"jointfund-eiti-summary-{covered}.xlsx"
    else:
        filename = f"jointfund-transparency-{stem}-{year or 'all'}.{suffix}"
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "ETag": tag,
        "Cache-Control": "no-cache",
    }
    if fmt in ("csv", "json"):
        stream = (
            public_reports.transparency_csv
            if fmt == "csv"
            else public_reports.transparency_json_stream
        )
        return StreamingResponse(stream(ctx.books, wanted), media_type=media, headers=headers)
    if fmt == "xlsx":
        return StreamingResponse(
            _blocks(_spooled_workbook(ctx, wanted)), media_type=media, headers=headers
        )
    return Response(body, media_type=media, headers=headers)


def _spooled_workbook(ctx: AppState, year: int | None) -> IO[bytes]:
    """The summary workbook written whole, as the payments are read, to a spool (memory up
    to 8 MiB, then a temporary file) before the answer starts: a refusal is an answer, not
    a cut file, and the server's memory stays flat whatever the books hold."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 (closed by _blocks)
    try:
        public_reports.write_transparency(ctx.books, year, "xlsx", cast(BinaryIO, spool))
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool


def _blocks(spool: IO[bytes]) -> Iterator[bytes]:
    """A spooled file sent a block at a time, then closed."""
    with spool:
        while block := spool.read(1 << 16):
            yield block


@router.get("/transparency")
def transparency_page(request: Request, ctx: StateDep, year: str = "") -> Response:
    """Public totals of filed payments for one fiscal year, or every year: by company,
    project, resource, oblast, stream and year, a chart, downloads, and how it is made."""
    wanted = _year(year)
    # Tagged by the books' version, this browser's session (the layout names its user) and
    # the language the page is written in.
    personal = "|".join(
        (
            request.cookies.get(COOKIE, ""),
            request.cookies.get(LANG_COOKIE, ""),
            request.headers.get("accept-language", ""),
        )
    )
    tag = entity_tag(ctx.books, request, personal=personal)
    unchanged = not_modified(request, tag)
    if unchanged is not None:
        return unchanged
    report, years = transparency_totals(ctx.books, wanted)
    pages = public_pages(
        ctx.books,
        wanted,
        request.query_params.get("companies_after", ""),
        request.query_params.get("projects_after", ""),
    )
    companies, projects = pages.companies, pages.projects
    usd = report.reporting_currency
    as_of = public_reports.as_of(ctx.books)
    query = f"?year={year}" if year else ""
    data = {
        "year": year,
        "years": [str(y) for y in years],
        "as_of": as_of.isoformat() if as_of else None,
        **public_totals(report),
        "companies": company_cells(companies.rows, usd),
        "company_count": companies.count,
        "company_pager": _pager(request, "companies_after", companies.next_after, "#by-company"),
        "projects": project_cells(projects.rows, usd),
        "project_count": projects.count,
        "project_pager": _pager(request, "projects_after", projects.next_after, "#by-project"),
        "chart": year_chart(report),
        "downloads": {name: f"/transparency/{name}{query}" for name in DOWNLOADS},
        "eiti_year": year or (str(years[0]) if years else None),
    }
    answer = page(request, ctx, "transparency.html", data, title=N_("Public transparency report"))
    answer.headers["Vary"] = "Accept-Language, Cookie"
    return tagged(answer, tag) if answer.status_code == 200 else answer
