"""The public transparency page: EITI-style totals by resource, oblast, stream and year.

No sign-in, and only public data: sums of filed payments and the fund's share of them. No
account balances, no partners' capital, no user names, no tokens.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from jointfund.errors import InputError, Problem
from jointfund.fund.report_data import transparency_report
from jointfund.http.pages.responses import page
from jointfund.http.pages.route_class import PageRoute
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
    for row in report.rows:
        sums = overall.setdefault(row.currency, [0, 0, 0, 0])
        sums[0] += 1
        sums[1] += row.amount_minor
        sums[2] += row.fund_share_minor
        sums[3] += row.fund_share_usd_minor
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
    everything = transparency_report(ctx.books, None)
    years = sorted({t.key for t in everything.totals["year"]}, reverse=True)
    report = transparency_report(ctx.books, int(year)) if year else everything
    data = {"year": year, "years": years, **public_totals(report)}
    return page(request, ctx, "transparency.html", data, title=N_("Public transparency report"))
