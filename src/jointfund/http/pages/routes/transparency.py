"""The public transparency page: EITI-style totals by resource, oblast, stream and year.

No sign-in, and only public data: sums of filed payments and the fund's share of them. No
account balances, no partners' capital, no user names, no tokens.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from jointfund.errors import InputError, Problem
from jointfund.fund.report_data import transparency_totals
from jointfund.http.conditional import entity_tag, not_modified, tagged
from jointfund.http.language import COOKIE as LANG_COOKIE
from jointfund.http.pages.responses import page
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.session import COOKIE
from jointfund.http.state import StateDep
from jointfund.i18n import N_, gettext
from jointfund.money import format_amount
from jointfund.reports.transparency import TotalLine, TransparencyReport

router = APIRouter(route_class=PageRoute, include_in_schema=False)
DIMENSIONS = ("resource", "oblast", "stream", "year")


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


@router.get("/transparency")
def transparency_page(request: Request, ctx: StateDep, year: str = "") -> Response:
    """Public totals of filed payments for one fiscal year, or every year."""
    if year and not (year.isdigit() and len(year) == 4):
        raise InputError(
            [
                Problem(
                    gettext(N_("not a year: {year!r}")).format(year=year),
                    field="year",
                    expected="2026",
                )
            ]
        )
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
    report, years = transparency_totals(ctx.books, int(year) if year else None)
    data = {"year": year, "years": [str(y) for y in years], **public_totals(report)}
    answer = page(request, ctx, "transparency.html", data, title=N_("Public transparency report"))
    answer.headers["Vary"] = "Accept-Language, Cookie"
    return tagged(answer, tag) if answer.status_code == 200 else answer
