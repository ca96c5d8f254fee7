"""The fund's figures on a date as plain JSON values, under one set of field names.

`jointfund metrics --json`, `GET /api/metrics` and the overview's JSON twin all emit this one
shape, built from one `Position`, so they carry the same numbers and the same stale/incomplete
marks. Money is a decimal string of USD (no grouping), ratios are decimal strings to four
places, IRR a float to six.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from jointfund.fund.metrics import FundMetrics, Performance
from jointfund.fund.position import BRIDGE_LABELS
from jointfund.money import format_amount

USD = "USD"


def usd(minor: int) -> str:
    """USD minor units as a plain decimal string."""
    return format_amount(minor, USD)


def ratio(value: Fraction | None, places: int = 4) -> str | None:
    """An exact ratio as a decimal string rounded half-even to `places` (None stays None)."""
    if value is None:
        return None
    return str(round(Decimal(value.numerator) / Decimal(value.denominator), places))


def performance_figures(p: Performance) -> dict[str, Any]:
    """Paid in, distributed, NAV, IRR and multiples."""
    return {
        "paid_in": usd(p.paid_in),
        "distributed": usd(p.distributed),
        "nav": usd(p.nav),
        "irr": None if p.irr is None else round(p.irr, 6),
        "tvpi": ratio(p.tvpi),
        "dpi": ratio(p.dpi),
        "rvpi": ratio(p.rvpi),
    }


def metrics_figures(m: FundMetrics) -> dict[str, Any]:
    """Every figure of the position and recoupment, as every surface emits it."""
    position = m.position
    nav = position.nav
    return {
        "as_of": position.as_of.isoformat(),
        "nav": usd(nav.total),
        "complete": nav.complete,
        "warnings": list(position.warnings),
        "fx_stale_after_days": position.stale_after_days,
        "nav_lines": {
            "cash": usd(nav.cash),
            "investments_cost": usd(nav.investments_cost),
            "investments_mark": usd(nav.investments_mark),
            "other_assets": usd(nav.other_assets),
            "liabilities": usd(nav.liabilities),
        },
        "fx": [
            {
                "account": line.account,
                "currency": line.currency,
                "amount": format_amount(line.amount, line.currency),
                "usd": None if line.usd is None else usd(line.usd),
                "rate": None if line.rate is None else str(line.rate),
                "rate_date": None if line.rate_date is None else line.rate_date.isoformat(),
                "status": line.status,
            }
            for line in nav.lines
            if line.currency != USD
        ],
        "bridge": [
            {"item": key, "label": BRIDGE_LABELS[key], "amount": usd(amount)}
            for key, amount in position.bridge
        ],
        "capital": {
            p: {
                "cash_contributions": usd(x.cash_contributions),
                "in_kind": usd(x.in_kind),
                "inflows": usd(x.inflows),
                "contributions": usd(x.capital.contributions),
                "income": usd(x.capital.income),
                "unrealised": usd(x.capital.unrealised),
                "distributions": usd(x.capital.distributions),
                "closing": usd(x.closing),
                "share": ratio(x.share, 6),
                "nav_share": usd(x.nav_share),
                "nav_difference": usd(x.nav_difference),
            }
            for p, x in position.partners.items()
        },
        "unallocated": usd(position.capital.unallocated),
        "performance": {
            "fund": performance_figures(position.fund),
            **{p: performance_figures(x.performance) for p, x in position.partners.items()},
        },
        "recoupment": [
            {
                "target": r.target.label,
                "partner": r.target.partner,
                "amount": usd(r.target.amount_minor),
                "received_pct": ratio(r.received_share * 100, 6),
                "with_nav_pct": ratio(r.value_share * 100, 6),
                "source": r.target.source,
                "nature": r.target.nature,
            }
            for r in m.recoupment
        ],
    }
