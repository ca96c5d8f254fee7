"""The overview: NAV, cash, inflows by resource and month, capital, recoupment, the lock."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Request, Response

from jointfund.fund.metrics import FundMetrics, fund_metrics
from jointfund.fund.report_data import latest_filings, public_licences
from jointfund.fund.setup import fund_terms
from jointfund.fund.users import utcnow
from jointfund.governance import require
from jointfund.http.identity import CurrentUser
from jointfund.http.pages.figures import inflows_by_month
from jointfund.http.pages.responses import page
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.state import StateDep
from jointfund.money import format_amount
from jointfund.store import Database, Ledger
from jointfund.terms import lock_end

router = APIRouter(route_class=PageRoute, include_in_schema=False)
USD = "USD"


def usd(minor: int) -> str:
    """USD minor units for people."""
    return format_amount(minor, USD, grouping=True)


def inflow_series(db: Database) -> tuple[dict[str, dict[str, float]], list[str]]:
    """The fund's share of eligible filings in USD millions, by licence resource and month."""
    licences = public_licences(db)
    series: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for filing in latest_filings(db):
        if not filing.eligible or not filing.reporting_minor:
            continue
        found = licences.get(filing.licence_id)
        resource = found.resources[0] if found and found.resources else "unspecified"
        series[resource][filing.period] += filing.reporting_minor / 100 / 1e6
    months = sorted({m for by_month in series.values() for m in by_month})
    return {k: dict(v) for k, v in series.items()}, months


def _metrics_data(m: FundMetrics) -> dict[str, Any]:
    return {
        "nav": {
            "total": usd(m.nav.total),
            "cash": usd(m.nav.cash),
            "investments": usd(m.nav.investments),
            "other_assets": usd(m.nav.other_assets),
            "liabilities": usd(m.nav.liabilities),
            "total_minor": m.nav.total,
        },
        "capital": [
            {
                "partner": a.partner,
                "contributions": usd(a.contributions),
                "income": usd(a.income),
                "unrealised": usd(a.unrealised),
                "distributions": usd(a.distributions),
                "closing": usd(a.closing),
                "share": f"{float(a.share):.2%}",
            }
            for a in m.capital.accounts.values()
        ],
        "recoupment": [
            {
                "target": r.target.label,
                "partner": r.target.partner,
                "amount": usd(r.target.amount_minor),
                "received": usd(r.received),
                "value": usd(r.value),
                "received_share": f"{float(r.received_share):.4%}",
                "value_share": f"{float(r.value_share):.4%}",
                "value_percent": min(float(r.value_share) * 100, 100.0),
                "source": r.target.source,
            }
            for r in m.recoupment
        ],
    }


@router.get("/")
def overview(request: Request, ctx: StateDep, user: CurrentUser) -> Response:
    """The fund at a glance, as of today."""
    require(user, "ledger.read")
    today = utcnow().date()
    terms = fund_terms(ctx.books)
    metrics = fund_metrics(ctx.books, user, as_of=today)
    cash = Ledger(ctx.books).subtree_totals("Assets:Cash")
    series, months = inflow_series(ctx.books)
    end = lock_end(terms)
    data = {
        "as_of": today.isoformat(),
        "fund": terms.metadata.title,
        "terms_id": terms.id,
        "cash": [
            {"currency": c, "amount": format_amount(v, c, grouping=True), "minor": v}
            for c, v in sorted(cash.items())
        ],
        **_metrics_data(metrics),
        "lock_end": end.isoformat() if end else None,
        "locked": end is not None and today < end,
        "inflow_months": months,
        "figures": {"inflows": inflows_by_month(series, months)},
    }
    return page(request, ctx, "overview.html", data, title="Overview")
