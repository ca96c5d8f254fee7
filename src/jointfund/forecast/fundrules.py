"""The term-sheet rules the vectorised forecast engine applies, as one flat frozen record."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

Partner = Literal["US", "UA"]
PARTNERS: tuple[Partner, Partner] = ("US", "UA")
STREAMS = frozenset({"royalty", "permit_fee", "psa_state_share", "bonus"})


@dataclass(frozen=True, slots=True)
class ForecastTerms:
    """What the engine needs from a term sheet; every field has the final-agreement default.

    fund_share: share of eligible state receipts paid into the fund.
    basis: "gross" receipts, or "net" of the state's costs (February 2025 drafts).
    new_only: only new licences/permits/PSAs count (26 Feb framework onwards).
    covered_resources: commodities that count; None means every commodity.
    streams: which receipt streams count (royalty, permit_fee, psa_state_share, bonus).
    liberated_share: share applied to deposits occupied at signing once liberated (21 Feb draft).
    ownership: "contributions" (pro rata to capital) or "us_all" (100% U.S. financial interest).
    threshold_total_usd: Ukrainian inflows stop once their total reaches this (21 Feb draft).
    threshold_raised_by_us_aid: later U.S. aid raises the threshold by ua_multiple x the aid.
    priority_senior / priority_rate / priority_initial_usd: one partner takes fund income first
        until its initial amount plus a yearly rate is repaid (March 2025 U.S. draft).
    lock_years: years from the start with no pro-rata distributions.
    distribution: "pro_rata_capital" after the lock, or "none".
    payout_fraction: share of positive investment income distributed in an unlocked year.
    """

    preset_id: str = "custom"
    fund_share: float = 0.5
    basis: Literal["gross", "net"] = "gross"
    new_only: bool = True
    covered_resources: frozenset[str] | None = None
    streams: frozenset[str] = field(default_factory=lambda: STREAMS)
    liberated_share: float | None = None
    ownership: Literal["contributions", "us_all"] = "contributions"
    threshold_total_usd: float | None = None
    threshold_raised_by_us_aid: bool = False
    ua_multiple: float = 1.0
    priority_senior: Partner | None = None
    priority_rate: float = 0.0
    priority_initial_usd: float = 0.0
    lock_years: int = 10
    distribution: Literal["pro_rata_capital", "none"] = "pro_rata_capital"
    payout_fraction: float = 1.0

    def covers(self, commodity: str) -> bool:
        """True when receipts from this commodity flow into the fund."""
        return self.covered_resources is None or commodity in self.covered_resources

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (sets become sorted lists)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = sorted(value) if isinstance(value, frozenset) else value
        return out


def forecast_terms_from_fields(data: dict[str, Any]) -> ForecastTerms:
    """Build ForecastTerms from plain (already validated) scenario data."""
    kwargs = dict(data)
    if kwargs.get("covered_resources") is not None:
        kwargs["covered_resources"] = frozenset(kwargs["covered_resources"])
    if kwargs.get("streams") is not None:
        kwargs["streams"] = frozenset(kwargs["streams"])
    return ForecastTerms(**kwargs)
