"""The overview: NAV, cash, inflows by resource and month, capital, recoupment, the lock."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response

from jointfund.clock import utcnow
from jointfund.fund.figures import metrics_figures
from jointfund.fund.metrics import FundMetrics, fund_metrics
from jointfund.fund.position import BRIDGE_LABELS
from jointfund.fund.report_data import inflow_series
from jointfund.fund.setup import fund_terms
from jointfund.governance import allowed, require
from jointfund.http.identity import CurrentUser
from jointfund.http.pages.landing import landing
from jointfund.http.pages.plotly_figures import inflows_by_month
from jointfund.http.pages.responses import page, redirect, wants_json
from jointfund.http.pages.route_class import PageRoute
from jointfund.http.pages.routes.cycle import overview_calendar
from jointfund.http.state import StateDep
from jointfund.i18n import N_
from jointfund.ledger.chart import REPORTING_CURRENCY
from jointfund.money import format_amount
from jointfund.terms import lock_end

router = APIRouter(route_class=PageRoute, include_in_schema=False)
USD = REPORTING_CURRENCY  # the books' one reporting currency (ledger.chart)


def usd(minor: int) -> str:
    """USD minor units for people."""
    return format_amount(minor, USD, grouping=True)


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
                "nav_share": usd(m.partner_nav[a.partner]),
            }
            for a in m.capital.accounts.values()
        ],
        "bridge": [
            {"label": BRIDGE_LABELS[k], "amount": usd(v)} for k, v in m.position.bridge if v
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
                "nature": r.target.nature,
            }
            for r in m.recoupment
        ],
    }


@router.get("/")
def overview(
    request: Request, ctx: StateDep, user: CurrentUser, as_of: date | None = None
) -> Response:
    """The fund at a glance, as of today (or `as_of`); a user whose role does not read the
    books is sent to where its work is instead."""
    if not allowed(user, "ledger.read") and landing(user) != "/" and not wants_json(request):
        return redirect(request, ctx, landing(user))
    require(user, "ledger.read")
    today = as_of or utcnow().date()
    terms = fund_terms(ctx.books)
    metrics = fund_metrics(
        ctx.books, user, as_of=today, stale_after_days=ctx.settings.fx_stale_days
    )
    series, months = inflow_series(ctx.books, user)
    end = lock_end(terms)
    data = {
        "as_of": today.isoformat(),
        "fund": terms.metadata.title,
        "fund_names": {
            "en": terms.metadata.title,
            "uk": terms.metadata.title_uk or terms.metadata.title,
        },
        "partners": [
            {
                "id": p.id,
                "en": {"name": p.name, "legal_entity": p.legal_entity},
                "uk": {
                    "name": p.name_uk or p.name,
                    "legal_entity": p.legal_entity_uk or p.legal_entity,
                },
            }
            for p in terms.partners
        ],
        "terms_id": terms.id,
        "cash": [
            {
                "currency": line.currency,
                "amount": format_amount(line.amount, line.currency, grouping=True),
                "minor": line.amount,
                "usd": None if line.usd is None else usd(line.usd),
                "rate": None if line.rate is None else str(line.rate),
                "rate_date": None if line.rate_date is None else line.rate_date.isoformat(),
                "status": line.status,
            }
            for line in sorted(metrics.nav.cash_lines, key=lambda x: x.currency)
        ],
        **_metrics_data(metrics),
        "metrics": metrics_figures(metrics),
        "lock_end": end.isoformat() if end else None,
        "locked": end is not None and today < end,
        "inflow_months": months,
        "figures": {"inflows": inflows_by_month(series, months)},
        "calendar": overview_calendar(ctx, user, today),
    }
    return page(request, ctx, "overview.html", data, title=N_("Overview"))
